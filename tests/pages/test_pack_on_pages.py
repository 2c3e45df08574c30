"""The board pack from the app: the Overview offers it in both formats, and the pack says what
the Overview says (its impact-to-date statements are the same sentences, with the same
numbers, because the same functions made them)."""

from __future__ import annotations

import pytest

from impact import demo
from impact.auth import accounts
from impact.reports.pack import build_pack
from impact.reports.text import html_text
from tests.pages.helpers import open_app

pytestmark = pytest.mark.usefixtures("demo_app")


def test_the_overview_offers_the_pack_and_says_what_the_pack_says(demo_expected):
    governor = next(a for a in demo.DEMO_ACCOUNTS if a.role == "governor")
    at = open_app("app_pages/overview.py", user=governor.email)
    buttons = {b.proto.label: b.proto for b in at.get("download_button")}
    assert {"Board pack (PDF)", "Board pack (web page)"} <= set(buttons)

    pack = build_pack(demo_expected, accounts.cli_actor(demo_expected, governor.email),
                      partnership=governor.partnerships[0])
    shown = [m.value for m in at.markdown]
    assert len(pack.statements) == 6
    for statement in pack.statements:
        assert f"#### {statement.claim}" in shown or any(
            statement.claim in s for s in shown), statement.claim
        assert f"<p class='plain'>{html_text(statement.evidence)}</p>" in shown
