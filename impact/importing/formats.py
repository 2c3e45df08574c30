"""Every kind of file the importer takes, and how it tells which one it has been given.

Template kinds (ours) and public data formats (DfE, Ofsted, GIAS) register here. Detection
asks each for a confidence and takes the most confident; ties, or nothing confident, are
refused with a sentence naming the kinds the user can choose.
"""

from __future__ import annotations

from impact.importing.kinds.attainment import KIND as ATTAINMENT
from impact.importing.kinds.base import Format
from impact.importing.problems import UnusableFile
from impact.importing.reading import Sheet

TEMPLATE_KINDS: dict[str, Format] = {}
PUBLIC_FORMATS: dict[str, Format] = {}


def register(fmt: Format, *, public: bool = False) -> Format:
    (PUBLIC_FORMATS if public else TEMPLATE_KINDS)[fmt.code] = fmt
    return fmt


def all_formats() -> dict[str, Format]:
    return {**TEMPLATE_KINDS, **PUBLIC_FORMATS}


def get(code: str) -> Format:
    found = all_formats().get(code)
    if found is None:
        raise UnusableFile(f"There is no kind of file called {code!r}. Choose one of: "
                           f"{', '.join(all_formats())}.")
    return found


# A template kind's confidence is at most this (`TemplateKind.detect`), so a public format
# surer than it wins whatever the templates say, and they need not look at the file.
TEMPLATE_MOST = 0.9


def detect(sheets: list[Sheet], file_name: str) -> Format:
    formats = all_formats()
    public = {code: fmt.detect(sheets, file_name) for code, fmt in formats.items()
              if code in PUBLIC_FORMATS}
    if not public or max(public.values()) <= TEMPLATE_MOST:
        public |= {code: fmt.detect(sheets, file_name) for code, fmt in formats.items()
                   if code not in public}
    scored = sorted(((public[code], fmt) for code, fmt in formats.items() if code in public),
                    key=lambda item: item[0], reverse=True)
    best_score, best = scored[0]
    if best_score < 0.3:
        raise UnusableFile(
            f"{file_name} does not look like any file this product takes: its first rows name "
            "none of the expected columns. Download a template from the Upload page (attainment, "
            "Ofsted, CPD, schools), or upload a DfE, Ofsted or GIAS file as published.")
    if len(scored) > 1 and scored[1][0] == best_score:
        raise UnusableFile(
            f"{file_name} could be a {best.label} or a {scored[1][1].label} file. Say which "
            "(choose the kind on the Upload page, or --kind on the command line).")
    return best


def _register_builtin() -> None:
    from impact.importing.kinds import benchmarks, cpd, ofsted, projects, schools

    for fmt in (schools.KIND, ATTAINMENT, ofsted.KIND, cpd.KIND, benchmarks.KIND,
                projects.KIND):
        register(fmt)


_register_builtin()


def _register_public() -> None:
    from impact.importing.public import (
        explore_education_statistics,
        gias,
        ofsted_mi,
        performance_tables,
    )

    register(performance_tables.KS2_FORMAT, public=True)
    register(performance_tables.KS4_FORMAT, public=True)
    register(ofsted_mi.FORMAT, public=True)
    register(gias.ESTABLISHMENTS, public=True)
    register(gias.LINKS, public=True)
    register(gias.GROUPS, public=True)
    register(explore_education_statistics.FORMAT, public=True)


_register_public()
