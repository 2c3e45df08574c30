"""Meeting mode: the partnership's (or a cohort's) findings on a projector, one message per
screen, for governors at a joint meeting.

Opened by a link carrying the partnership, cohort and measure
(`/meeting?partnership=…&cohort=…&measure=…`, the Overview's "Meeting mode" link; `slide=N`
opens a given screen). Large type, high contrast, no sidebar; Previous and Next are buttons
and the arrow keys (the buttons' own keyboard shortcuts), and Page Up and Page Down, the keys a
presentation clicker sends. The screens are the board pack's
(`impact.reports.meeting.screens`): the same numbers and words, always the governor view.
"""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go
import streamlit as st

from app_pages import _common as common
from app_pages import _filters as filters
from impact.auth import require
from impact.auth.rights import VIEW_PARTNERSHIP, Partnership
from impact.charts import palette
from impact.reports import meeting
from impact.reports.pack import build_pack
from impact.reports.text import html_text, markdown_text

SLIDE = "slide"  # in the URL: the screen shown, from 1
CHART_HEIGHT = 320  # beside its three lines, under the title: one screen at 1280x720
STYLE = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], [data-testid="stHeader"] { display: none; }
[data-testid="stMainBlockContainer"] { padding: 1rem 2.5rem 1rem 2.5rem; max-width: 100%; }
.stApp { background: #FFFFFF; color: #0B0C0C; }
p.meeting-where { font-size: 1.1rem; color: #3D3D3D; margin: 0; }
.st-key-meeting_title h1 { font-size: 2.3rem; line-height: 1.15; color: #0B0C0C;
                          font-weight: 700; margin: 0; padding: 0; }
p.meeting-sentence { font-size: 1.5rem; line-height: 1.35; color: #12436D; font-weight: 600;
                     margin: 0 0 0.6rem 0; }
p.meeting-line { font-size: 1.25rem; line-height: 1.4; margin: 0.2rem 0; }
p.meeting-questions { font-size: 1.2rem; line-height: 1.4; margin: 0.6rem 0 0 0;
                      border-left: 6px solid #12436D; padding-left: 0.8rem; }
p.meeting-count { font-size: 1.2rem; margin: 0; }
.st-key-meeting_nav button p { font-size: 1.3rem; }
.st-key-meeting_clicker { display: none; }
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] { padding: 0.5rem 0.8rem; }
  .st-key-meeting_title h1 { font-size: 1.8rem; }
  p.meeting-sentence { font-size: 1.3rem; }
  p.meeting-line, p.meeting-questions { font-size: 1.05rem; }
}
</style>
"""

st.markdown(STYLE, unsafe_allow_html=True)
chosen = filters.current()
common.require_schools()
if chosen.partnership is None:
    st.info("Meeting mode shows one partnership: open it from the Overview with a "
            "partnership chosen.", icon=":material/info:")
    st.page_link(common.OVERVIEW_PAGE, label="Back to the Overview", icon=":material/arrow_back:")
    st.stop()

who = common.actor()
members = common.query("partnership_members")
urns = frozenset(int(u) for u in members.loc[members["partnership"] == chosen.partnership,
                                             "urn"])
require(who, VIEW_PARTNERSHIP, Partnership(chosen.partnership, urns))
# Shared by everyone who opens the same view today (the rights were checked above, for each
# person): building the pack's charts takes a moment, a meeting opens the same view often.
# The estimates and the trend made already in the background are taken, not made again.
view = ("meeting", chosen.partnership, chosen.cohort, chosen.measure, dt.date.today())
screens = common.made_once(view, lambda: meeting.screens(build_pack(
    common.store(), who, partnership=chosen.partnership, cohort=chosen.cohort,
    measure=chosen.measure, for_screens=True, trend_of=common.trend, run=common.query,
    estimates=common.made_estimates(
        chosen.partnership,
        [chosen.cohort] if chosen.cohort else
        common.query("cohorts", partnership=chosen.partnership)["cohort"].tolist(),
        chosen.measure))))
place = f"{chosen.cohort} ({chosen.partnership})" if chosen.cohort else chosen.partnership
if not screens:
    st.info(f"There is nothing to show about {markdown_text(place)} yet: upload results on "
            "the Upload page first.", icon=":material/info:")
    st.stop()


def _shown() -> int:
    text = st.query_params.get(SLIDE, "1")
    number = int(text) if text.isdigit() else 1
    return min(max(number, 1), len(screens))


def _go(step: int) -> None:
    st.query_params[SLIDE] = str(min(max(_shown() + step, 1), len(screens)))


number = _shown()
st.query_params[SLIDE] = str(number)
screen = screens[number - 1]

st.markdown(f"<p class='meeting-where'>{html_text(place)} · {html_text(screen.about)}</p>",
            unsafe_allow_html=True)
with st.container(key="meeting_title"):
    st.title(markdown_text(screen.title), anchor=False)
st.markdown(f"<p class='meeting-sentence'>{html_text(screen.sentence)}</p>",
            unsafe_allow_html=True)
lines = (f"<p class='meeting-line'><b>Compared with:</b> {html_text(screen.comparison)}</p>"
         f"<p class='meeting-line'><b>How sure:</b> {html_text(screen.sureness)}</p>"
         f"<p class='meeting-questions'><b>Questions to ask:</b> "
         f"{html_text(screen.questions)}</p>")
# The chart beside its three lines on a projector; one above the other on a phone (columns
# stack below 640 px).
chart_side, words_side = st.columns([3, 2], gap="medium")
if screen.chart is not None:
    figure = common.made_once((*view, "compact", number), lambda: palette.compact(
        go.Figure(screen.chart.figure), CHART_HEIGHT))
    chart_side.plotly_chart(figure, theme=None, key=f"meeting_chart_{number}",
                            config=common.CHART_CONFIG)
else:
    chart_side.info(markdown_text(screen.no_chart), icon=":material/info:")
words_side.markdown(lines, unsafe_allow_html=True)

with st.container(horizontal=True, key="meeting_nav", vertical_alignment="center"):
    st.button("Previous", key="meeting_previous", on_click=_go, args=(-1,),
              disabled=number == 1, icon=":material/arrow_back:", shortcut="Left")
    st.markdown(f"<p class='meeting-count'>Screen {number} of {len(screens)}</p>",
                unsafe_allow_html=True)
    st.button("Next", key="meeting_next", on_click=_go, args=(1,), type="primary",
              disabled=number == len(screens), icon=":material/arrow_forward:",
              shortcut="Right")
    st.page_link(common.OVERVIEW_PAGE, label="Leave meeting mode", icon=":material/close:")
# A presentation clicker sends Page Up and Page Down: a button takes one shortcut, so these two
# unseen buttons do what Previous and Next do for those keys.
with st.container(key="meeting_clicker"):
    st.button("Previous screen", key="meeting_page_up", on_click=_go, args=(-1,),
              disabled=number == 1, shortcut="PageUp")
    st.button("Next screen", key="meeting_page_down", on_click=_go, args=(1,),
              disabled=number == len(screens), shortcut="PageDown")
