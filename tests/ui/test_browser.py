"""End to end in a real browser: Debian's Chromium drives the app over the real agent.

The agent is the real `RecAgent` on MovieLens-100K with llm="deterministic" (slot-extractor
planning, real ALS/catalog tools), so the test is fast and needs no model weights. The app
runs on a free loopback port; screenshots land in test-output/ui/ (and in tmp_path).
"""

from __future__ import annotations

import shutil
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright

from convrec import RecAgent
from convrec.ui.app import build_app, launch

pytestmark = pytest.mark.slow

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"]
OUTPUT = Path(__file__).resolve().parents[2] / "test-output" / "ui"
TIMEOUT_MS = 30_000
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def app_url(home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    agent = RecAgent.default(home, llm="deterministic",
                             store=tmp_path_factory.mktemp("ui") / "profiles.sqlite")
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


def _titles(page: Page, group: str, turn: int) -> list[str]:
    cards = page.locator(f".rec-card.in-{group}.turn-{turn}")
    expect(cards.first).to_be_visible(timeout=TIMEOUT_MS)
    return [card.locator("h3").inner_text() for card in cards.all()]


def _card(page: Page, title: str) -> Locator:
    return page.locator(".rec-card.in-picks", has=page.locator("h3", has_text=title))


def _top(locator: Locator) -> float:
    box = locator.bounding_box()
    assert box is not None, "not laid out"
    return box["y"]


def _shot(page: Page, tmp_path: Path, name: str) -> None:
    shot = tmp_path / name
    page.screenshot(path=str(shot), full_page=True)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shot, OUTPUT / name)
    assert shot.stat().st_size > 10_000


def test_picks_feedback_undo_and_an_info_question_in_chromium(app_url: str, browser: Browser,
                                                              tmp_path: Path) -> None:
    started = time.monotonic()
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(request.url.split("/")[2]))
    page.goto(app_url)
    panel = page.locator("#capabilities")  # built from the catalog
    expect(panel).to_contain_text("1,682 films, 1922\u20131998")
    expect(panel).to_contain_text("Sci-Fi")
    expect(panel).to_contain_text("Not known: cast, crew or authors")
    panel.get_by_text("What you can ask").click()  # the agent's own help answer
    expect(panel).to_contain_text("compare two")
    assert page.locator("#backend").count() == 0 or not page.locator("#backend").is_visible()

    _send(page, "some 90s sci-fi please")
    first = _titles(page, "picks", 1)
    assert len(first) == 5 and all("(199" in title for title in first), first
    chat = page.locator("#chat")
    expect(chat).to_contain_text("Here are 5 picks")
    for title in first:  # each pick once: on its card, not again in the chat bubble
        expect(chat).not_to_contain_text(title.split(" (")[0])
    expect(_card(page, first[0])).to_contain_text("average rating")
    expect(_card(page, first[0])).to_contain_text("Why:")

    trace = page.get_by_text("How I got this").last  # collapsed, in words a person reads
    expect(page.get_by_text("Understood:")).to_have_count(0)
    trace.click()
    expect(page.get_by_text("Understood:").last).to_be_visible()
    expect(chat.get_by_text("match.", exact=False).last).to_be_visible()
    expect(chat.get_by_text("Here are 5 picks").last).to_be_in_viewport()
    page.get_by_text("Details for developers").last.click()  # the raw plan, one level deeper
    expect(chat.get_by_text("Tool filter_items").last).to_be_visible()

    rejected = _card(page, first[0])
    rejected.get_by_role("button", name="Not for me").click()
    expect(rejected).to_contain_text("Not for you")
    expect(rejected.get_by_role("button", name="Like")).to_have_count(0)
    expect(page.locator("#profile")).to_contain_text(f"Not for me: {first[0]}")
    rejected.get_by_role("button", name="Undo").click()
    expect(page.locator("#profile")).to_contain_text("Not for me: nothing yet")
    expect(rejected.get_by_role("button", name="Not for me")).to_be_visible()
    rejected.get_by_role("button", name="Not for me").click()
    expect(page.locator("#profile")).to_contain_text(f"Not for me: {first[0]}")

    liked = _card(page, first[1])
    liked.get_by_role("button", name="Like").click()
    expect(liked).to_contain_text("You liked this")
    expect(liked.get_by_role("button", name="Like")).to_have_count(0)

    _send(page, "tell me about Fargo")  # the answer comes beside the picks
    expect(page.locator(".rec-card.in-about")).to_contain_text("Fargo (1996)",
                                                               timeout=TIMEOUT_MS)
    expect(chat).to_contain_text("Fargo is Crime")
    assert [c.locator("h3").inner_text() for c in
            page.locator(".rec-card.in-picks").all()] == first

    _send(page, "more like that")
    second = _titles(page, "picks", 3)
    assert second and first[0] not in second
    for card in page.locator(".rec-card.in-picks").all():  # the request carried over
        expect(card).to_contain_text("Sci-Fi")
    expect(page.locator(".rec-card.in-about")).to_have_count(0)
    _shot(page, tmp_path, "ui-1366.png")

    other = browser.new_context(viewport=DESKTOP).new_page()  # another session sees nothing
    other.goto(app_url)
    expect(other.locator("#profile")).to_contain_text("Not for me: nothing yet")
    assert other.locator(".rec-card").count() == 0
    context.close()
    other.context.close()

    assert hosts == {app_url.split("/")[2]}, f"the page called out to {hosts}"
    assert time.monotonic() - started < 90


def test_on_a_phone_the_conversation_and_cards_come_first(app_url: str, browser: Browser,
                                                          tmp_path: Path) -> None:
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    page.goto(app_url)
    _send(page, "a comedy from the 80s")
    _titles(page, "picks", 1)
    cards = page.locator(".rec-card")
    assert _top(page.locator("#chat")) < _top(cards.first) < _top(page.locator("#capabilities"))
    assert _top(cards.last) < _top(page.locator("#profile")) < _top(page.locator("#reset"))
    for card in cards.all():  # one column, nothing wider than the screen
        box = card.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways ({width} px)"
    _shot(page, tmp_path, "ui-390.png")
    context.close()
