"""End to end in a real browser: Debian's Chromium drives the app over the real agent.

The agent is the real `RecAgent` on MovieLens-100K with llm="deterministic" (slot-extractor
planning, real ALS/catalog tools), so the test is fast and needs no model weights. The app
runs on a free loopback port; the screenshot lands in test-output/ui/ (and in tmp_path).
"""

from __future__ import annotations

import shutil
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from convrec import RecAgent
from convrec.ui.app import build_app, launch

pytestmark = pytest.mark.slow

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"]
OUTPUT = Path(__file__).resolve().parents[2] / "test-output" / "ui"
TIMEOUT_MS = 30_000


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def app_url(home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    agent = RecAgent.default(home, llm="deterministic",
                             profiles_path=tmp_path_factory.mktemp("ui") / "profiles.sqlite")
    port = _free_port()
    app = launch(build_app(agent), host="127.0.0.1", port=port)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        app.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = shutil.which("chromium")
    assert executable, "Debian's chromium is missing: apt-get install -y chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


def _send(page: Page, text: str) -> None:
    box = page.locator("#message textarea")
    box.fill(text)
    box.press("Enter")


def _card_titles(page: Page, turn: int) -> list[str]:
    cards = page.locator(f".rec-card.turn-{turn}")
    expect(cards.first).to_be_visible(timeout=TIMEOUT_MS)
    return [cards.nth(i).locator("h3").inner_text() for i in range(cards.count())]


def test_chat_cards_feedback_and_next_turn_in_chromium(app_url: str, browser: Browser,
                                                       tmp_path: Path) -> None:
    started = time.monotonic()
    context = browser.new_context(viewport={"width": 1280, "height": 1100})
    page = context.new_page()
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(request.url.split("/")[2]))
    page.goto(app_url)

    _send(page, "some 90s sci-fi please")
    first = _card_titles(page, 1)
    assert len(first) == 5
    assert all(title.endswith(")") and "(199" in title for title in first), first
    expect(page.locator(".rec-card").first).to_contain_text("Sci-Fi")
    expect(page.get_by_text("Trace", exact=True).first).to_be_visible()

    rejected = first[0]
    card = page.locator(".rec-card", has_text=rejected)
    card.get_by_role("button", name="Not for me").click()
    expect(card).to_have_count(0, timeout=TIMEOUT_MS)
    expect(page.locator("#profile")).to_contain_text(f"Not for me: {rejected}")

    _send(page, "more like that")
    second = _card_titles(page, 2)
    assert second and rejected not in second
    for card in page.locator(".rec-card.turn-2").all():  # the request carried over
        expect(card).to_contain_text("Sci-Fi")
    assert page.locator(".rec-card", has_text=rejected).count() == 0

    page.get_by_text("Trace", exact=True).last.click()  # open the trace for the screenshot
    expect(page.get_by_text("Plan by", exact=False).last).to_be_visible()
    shot = tmp_path / "ui.png"
    page.screenshot(path=str(shot), full_page=True)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shot, OUTPUT / "ui.png")
    assert shot.stat().st_size > 10_000

    other = browser.new_context().new_page()  # a second browser session sees nothing of it
    other.goto(app_url)
    expect(other.locator("#profile")).to_contain_text("Not for me: nothing yet")
    assert other.locator(".rec-card").count() == 0
    context.close()
    other.context.close()

    assert hosts == {app_url.split("/")[2]}, f"the page called out to {hosts}"
    assert time.monotonic() - started < 60
