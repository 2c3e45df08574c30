"""Steps a data manager takes on the Set up page, shared by the Set up page tests."""

from __future__ import annotations

from tests.pages.helpers import texts


def submit(at, label: str):  # noqa: ANN001, ANN201
    """Press the one form button named `label`; the page must not raise."""
    buttons = [b for b in at.button if b.label == label]
    assert len(buttons) == 1, [b.label for b in at.button]
    buttons[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def confirm(at):  # noqa: ANN001, ANN201
    """Confirm the previewed change; it must be saved."""
    assert "Check this change" in texts(at.subheader)
    at.button(key="setup_confirm").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.success, texts(at.error)
    return at


def saved_id(at) -> int:  # noqa: ANN001
    """The change number the page says it saved."""
    text = at.success[0].value
    assert text.startswith("Saved as change ")
    return int(text.split()[3].rstrip("\\:"))


def unescaped(text: str) -> str:
    """Page text without Markdown's escaping backslashes."""
    return text.replace("\\", "")
