"""The "impact to date" list, in the spirit of the case studies ("All schools are good or
outstanding", "Improved pupil attainment"), but each statement worked out from the data, with
the evidence behind it and what it cannot show.

Every statement has a verdict in words (never only a colour or an icon), from
`impact.domain.verdicts`:

- Yes: the data support it as written;
- Partly: true of some schools or some cohorts, not all;
- Not clear yet: the data cannot tell (an interval that includes no difference, or a
  difference the check of the years before joining cannot vouch for);
- No: the data go against it;
- No data: nothing stored to check it with.

Attainment is judged on the impact estimates (against schools that did not join), never on a
rising line alone: national results rose too, and schools that joined after a bad year bounce
back anyway. A cohort counts as improved only when its estimate is clear (`Estimate.clear`):
never while its schools were already moving differently before joining, or that could not be
checked. The sentence for one cohort is the estimate's own (`Estimate.words.headline`), word
for word what the Cohorts page says.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from impact.analysis.estimate import Estimate
from impact.analysis.paired import mean_change
from impact.domain import comparisons, ofsted, verdicts
from impact.domain.academic_years import TERMS
from impact.reports import ofsted as ofsted_report
from impact.reports.dates import long_date

YES, PARTLY, NOT_CLEAR, NO, NONE = (verdicts.YES, verdicts.PARTLY, verdicts.NOT_CLEAR,
                                    verdicts.NO, verdicts.NO_DATA)
FULL_SHARE = 1.0  # pupils on roll at or above capacity


@dataclass(frozen=True)
class Statement:
    claim: str      # what a case study would say
    verdict: str    # one of YES, PARTLY, NOT_CLEAR, NO, NONE
    evidence: str   # what the data say, with numbers
    caveat: str     # what it cannot show
    source: str     # where the numbers come from


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


# --- Ofsted -----------------------------------------------------------------------------------

def good_or_outstanding(schools: pd.DataFrame, inspections: pd.DataFrame) -> Statement:
    """'All schools are good or outstanding', on each school's latest overall grade."""
    claim = "All schools are good or outstanding"
    source = "Ofsted inspections"
    n = len(schools)
    latest = ofsted_report.latest_graded(inspections[inspections["urn"].isin(schools["urn"])]
                                         if not inspections.empty else inspections)
    if n == 0 or latest.empty:
        return Statement(claim, NONE, "No graded Ofsted inspection is stored for these "
                         "schools.", "Upload the Ofsted file on the Upload page.", source)
    good = latest["overall_effectiveness"].isin(ofsted_report.GOOD_OR_BETTER)
    k = int(good.sum())
    counts = latest["overall_effectiveness"].value_counts()
    grades = ", ".join(f"{int(counts[g])} {g}" for g in ofsted.FOUR_POINT if g in counts)
    ungraded = n - len(latest)
    days = pd.to_datetime(latest["inspection_date"])
    evidence = (f"{k} of {_plural(n, 'school')} {'was' if k == 1 else 'were'} good or "
                f"outstanding at their latest graded inspection ({grades}; inspected "
                f"{long_date(days.min())} to {long_date(days.max())}).")
    if ungraded:
        evidence += f" {_plural(ungraded, 'school')} had no graded inspection."
    since = inspections[inspections["urn"].isin(latest["urn"])
                        & (inspections["framework"] != ofsted.GRADED.code)]["urn"].nunique() \
        if not inspections.empty else 0
    caveat = ("Ofsted stopped giving one overall grade on 2 September 2024, so these grades "
              "get older every year")
    caveat += (f"; {_plural(since, 'school has', 'schools have')} been inspected since under "
               "a new framework, whose grades cannot be turned into the old ones."
               if since else ".")
    verdict_ = YES if k == n else PARTLY if k else NO
    return Statement(claim, verdict_, evidence, caveat, source)


def ofsted_improved(before_now: pd.DataFrame) -> Statement:
    """'Improved Ofsted gradings', from each school's overall grade before joining and now."""
    claim = "Ofsted grades improved after joining"
    source = "Ofsted inspections and joining dates"
    changes = before_now["Change"] if not before_now.empty else pd.Series(dtype=object)
    better, same, worse = (int((changes == c).sum()) for c in (
        ofsted_report.BETTER, ofsted_report.SAME, ofsted_report.WORSE))
    compared = better + same + worse
    if compared == 0:
        return Statement(claim, NONE, "No school has an overall grade from both before and "
                         "after it joined.", "Overall grades stopped in September 2024; newer "
                         "inspections are graded differently and cannot be compared.", source)
    evidence = (f"Of {_plural(compared, 'school')} with an overall grade before and after "
                f"joining, {better} got a better grade, {same} the same and {worse} a worse "
                "one.")
    other = len(before_now) - compared
    if other:
        evidence += f" {_plural(other, 'school')} cannot be compared this way."
    caveat = ("Inspections are years apart and grades change for many reasons; this does not "
              "compare the schools with any that did not join.")
    if better and not worse:
        verdict_ = YES if better == compared else PARTLY
    elif worse and not better:
        verdict_ = NO
    elif better and worse:
        verdict_ = PARTLY
    else:
        verdict_ = NO
    return Statement(claim, verdict_, evidence, caveat, source)


# --- attainment -------------------------------------------------------------------------------

def attainment_improved(estimates: list[Estimate], trend_title: str | None = None
                        ) -> Statement:
    """'Improved pupil attainment', judged on the impact estimates (cohort by cohort)."""
    claim = "Pupil attainment improved"
    source = "Impact estimates on the Cohorts page"
    if not estimates:
        return Statement(claim, NONE, "There are no cohorts with results to compare.",
                         "Results before and after joining are needed.", source)
    first = estimates[0]
    subject = first.measure_label
    against = comparisons.short(first.comparison)
    found = [e.verdict for e in estimates]
    judged = [v for v in found if v in verdicts.JUDGED]
    rose, fell = found.count(verdicts.ROSE_MORE), found.count(verdicts.FELL_BEHIND)
    doubt = len([v for v in judged if v in (verdicts.COMPARISON_IN_DOUBT,
                                            verdicts.COMPARISON_UNCHECKED)])
    if not judged:
        why = ("too uncertain to say" if verdicts.TOO_UNCERTAIN in found else
               "not enough results before and after joining to compare with other schools")
        evidence = (first.words.headline if len(estimates) == 1
                    else f"{subject}: {why}.")
        return Statement(claim, NONE if not any(e.estimated for e in estimates)
                         else NOT_CLEAR, evidence,
                         "A rising line alone is not impact: national results rose too.",
                         source)
    if len(estimates) == 1:
        evidence = first.words.headline
    else:
        evidence = (f"{subject}: results rose clearly more than in {against} in "
                    f"{rose} of {_plural(len(judged), 'cohort')}")
        evidence += f", fell clearly behind in {fell}" if fell else ""
        evidence += (f"; the comparison was not shown to be fair in {doubt}" if doubt else "")
        unclear = len(judged) - rose - fell - doubt
        evidence += f"; no clear difference in {unclear}." if unclear else "."
    if trend_title:
        evidence += f" The line over the years (not an estimate of impact): {trend_title}."
    best = max(e.evidence.padlocks for e in estimates)
    caveat = (f"{first.words.caveat} Strength of evidence: at most {best} of 5. "
              "A rising line alone is not impact: national results rose too, and schools "
              "that join after a bad year bounce back anyway.").strip()
    if rose and not fell:
        verdict_ = YES if rose == len(judged) else PARTLY
    elif fell and not rose:
        verdict_ = NO
    elif rose and fell:
        verdict_ = PARTLY
    else:
        verdict_ = NOT_CLEAR
    return Statement(claim, verdict_, evidence, caveat, source)


# --- schools full -----------------------------------------------------------------------------

def schools_full(schools: pd.DataFrame) -> Statement:
    """'All schools are full', from pupils on roll and capacity."""
    claim = "All schools are full"
    source = "Schools' pupils on roll and capacity"
    known = schools.dropna(subset=["pupils", "capacity"])
    known = known[known["capacity"] > 0]
    if known.empty:
        return Statement(claim, NONE, "No school has both pupils on roll and capacity "
                         "stored.", "Add them with the schools template.", source)
    full = known["pupils"] >= known["capacity"] * FULL_SHARE
    k, n = int(full.sum()), len(known)
    share = (known["pupils"].sum() / known["capacity"].sum()) * 100
    evidence = (f"{k} of {_plural(n, 'school')} {'has' if k == 1 else 'have'} as many pupils "
                f"as places or more; together they are {share:.0f}% full.")
    caveat = ("Being full shows families choose these schools, not why; applications and "
              "waiting lists are not in the data.")
    return Statement(claim, YES if k == n else PARTLY if k else NO, evidence, caveat, source)


# --- CPD --------------------------------------------------------------------------------------

def staff_hours(records: pd.DataFrame) -> Statement:
    """'Joint professional development for all roles': staff hours, latest year and before."""
    claim = "Staff learn together across schools"
    source = "CPD returns"
    if records.empty:
        return Statement(claim, NONE, "No CPD records are stored for these schools.",
                         "Upload CPD returns with the CPD template.", source)
    by_year = records.groupby("academic_year")
    hours = by_year["staff_hours"].sum(min_count=1).dropna()
    roles = records.groupby("academic_year")["staff_role"].nunique()
    if hours.empty:
        return Statement(claim, NONE, "CPD records have no hours written.", "", source)
    years = sorted(hours.index, key=lambda y: int(y[:4]))
    latest = years[-1]
    terms = _terms_recorded(records, latest)
    before = years[-2] if len(years) > 1 else None
    part_year = (before is not None and terms is not None
                 and terms < (_terms_recorded(records, before) or set()))
    so_far = f" so far ({_term_words(terms)})" if part_year else ""
    evidence = (f"Staff spent {hours[latest]:,.0f} hours on joint CPD and collaboration in "
                f"{latest}{so_far}, across {_plural(int(roles[latest]), 'role')}")
    if part_year:
        # a year under way is compared with the same terms of the year before, not all of it
        same = records[(records["academic_year"] == before) & records["term"].isin(terms)]
        evidence += (f" ({same['staff_hours'].sum():,.0f} hours in the same "
                     f"{'term' if len(terms) == 1 else 'terms'} of {before}; "
                     f"{hours[before]:,.0f} in the whole of {before})")
    elif before is not None:
        evidence += f" ({hours[before]:,.0f} hours in {before})"
    evidence += "."
    caveat = ("This counts what schools recorded; time spent together is not evidence of "
              "impact by itself.")
    return Statement(claim, YES if hours[latest] > 0 else NO, evidence, caveat, source)


def _terms_recorded(records: pd.DataFrame, year: str) -> set[str] | None:
    """The terms of `year` with CPD recorded (None when the records carry no term)."""
    if "term" not in records.columns:
        return None
    return set(records.loc[records["academic_year"] == year, "term"].dropna())


def _term_words(terms: set[str]) -> str:
    ordered = [t for t in TERMS if t in terms]
    return (" and ".join(ordered) if len(ordered) < 3 else ", ".join(ordered)) + \
        (" term" if len(ordered) == 1 else " terms")


def staff_confidence(records: pd.DataFrame) -> Statement:
    """'Staff feel more confident', from self-assessment before and after (1 to 5)."""
    claim = "Staff feel more confident"
    source = "Staff self-assessment before and after CPD"
    cols = {"self_assessment_before", "self_assessment_after"}
    if records.empty or not cols <= set(records.columns):
        return Statement(claim, NONE, "No self-assessments are stored.", "", source)
    pairs = records.dropna(subset=list(cols))
    change = mean_change(pairs["self_assessment_before"], pairs["self_assessment_after"])
    if change is None:
        return Statement(claim, NONE, "Fewer than two CPD records have a self-assessment "
                         "before and after.", "", source)
    mean, low, high, n = change
    evidence = (f"On average staff rated themselves {pairs['self_assessment_before'].mean():.1f}"
                f" out of 5 before and {pairs['self_assessment_after'].mean():.1f} after "
                f"({_plural(n, 'activity', 'activities')}; the rise is likely between "
                f"{low:.1f} and {high:.1f}).")
    caveat = ("Staff rated themselves, and there is no comparison group, so this shows a "
              "change in how staff feel, not what caused it.")
    verdict_ = YES if low > 0 else NO if high < 0 else NOT_CLEAR
    return Statement(claim, verdict_, evidence, caveat, source)
