"""What a person sees in the terminal: a clean start, and a profile by title."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from convrec.agent.llm.embedded import CONVERTED_NAME, DONE_MARKER, llm_cache_dir
from convrec.commands.chat import announce, format_profile
from convrec.memory.profile import UserProfile
from convrec.settings import Settings


def test_the_first_start_says_the_embedded_model_is_being_prepared(tmp_path, capsys):
    settings = Settings(home=tmp_path)
    announce(settings, "embedded")
    assert "preparing the embedded model (first run only" in capsys.readouterr().err
    done = llm_cache_dir(tmp_path) / CONVERTED_NAME / DONE_MARKER
    done.parent.mkdir(parents=True)
    done.write_text("converted")
    announce(settings, "embedded")
    assert capsys.readouterr().err == "loading the agent (embedded) ...\n"


def test_the_profile_is_shown_by_title():
    profile = UserProfile(liked=[49], disliked=[312])
    profile.expectations.exclude(["Horror"])
    text = format_profile(profile, lambda ids: {49: "Star Wars (1977)", 312: "Titanic (1997)"})
    assert "liked: Star Wars (1977)" in text and "not for me: Titanic (1997)" in text
    assert "seen: nothing yet" in text and "no Horror" in text and "#" not in text


@pytest.mark.slow
def test_an_ordinary_start_prints_no_warnings_or_progress_bars(home: Path, tmp_path):
    env = {**os.environ, "CONVREC_HOME": str(home), "PYTHONWARNINGS": "default"}
    run = subprocess.run([sys.executable, "-m", "convrec.cli", "ask", "some 90s comedy",
                          "--store", str(tmp_path / "p.sqlite")],
                         capture_output=True, text=True, env=env, timeout=300, check=True)
    assert "Here are" in run.stdout
    assert run.stderr == "loading the agent (embedded) ...\n", run.stderr
