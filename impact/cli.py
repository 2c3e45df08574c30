"""`python -m impact`: the store, templates, imports and exports from the command line.

Every command takes `--db PATH` (default: `IMPACT_DB`, else `data/impact.duckdb`) and `--help`.
Exit status: 0 success, 1 the data was rejected (or could not be undone), 2 an unusable
command or an unreadable file.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from impact.auth import CLI_ACTOR
from impact.config import db_path
from impact.store import Store, StoreUnavailable

EXIT_OK, EXIT_REJECTED, EXIT_UNUSABLE = 0, 1, 2


def _store(args: argparse.Namespace) -> Store:
    return Store(db_path(args.db))


def cmd_demo(args: argparse.Namespace) -> int:
    from impact import demo

    path = db_path(args.db)
    built = demo.build(path, force=args.force, directory=Path(args.dir) if args.dir else None)
    if built is None:
        print(f"{path} already exists; use --force to rebuild it from the demo spreadsheets.")
    else:
        print(built)
    return EXIT_OK


def cmd_template(args: argparse.Namespace) -> int:
    from impact.importing.templates import template_kinds, write_template

    kinds = template_kinds()
    if args.kind not in kinds:
        print(f"There is no template {args.kind!r}. Choose one of: {', '.join(kinds)}.",
              file=sys.stderr)
        return EXIT_UNUSABLE
    out = write_template(kinds[args.kind], args.out)
    print(f"Wrote the {kinds[args.kind].label.lower()} template to {out}")
    return EXIT_OK


def _print_result(result: dict, as_json: bool) -> None:
    if as_json:
        return
    status = result["status"]
    print(f"{result['file']}: {status}"
          + (f" as {result['kind']}" if result["kind"] else ""))
    if status != "rejected":
        print(f"  rows added {result['rows_added']}, updated {result['rows_updated']}, "
              f"unchanged {result['rows_unchanged']}"
              + (f" (upload {result['upload_id']})" if result["upload_id"] else ""))
    for warning in result["warnings"]:
        print(f"  warning: {warning}")
    for error in result["errors"]:
        where = ", ".join(x for x in (
            f"row {error['row']}" if error["row"] is not None else "",
            f"column {error['column']!r}" if error["column"] else "",
            f"value {error['value']!r}" if error["value"] not in (None, "") else "") if x)
        print(f"  error: {where + ': ' if where else ''}{error['message']}")


def cmd_import(args: argparse.Namespace) -> int:
    from impact.importing.pipeline import StalePlan, import_file

    options = {}
    for item in args.option or []:
        key, _, value = item.partition("=")
        options[key.strip()] = value.strip()
    if args.year:
        options["academic_year"] = args.year
    results = []
    worst = EXIT_OK
    store = _store(args)
    try:
        for name in args.files:
            path = Path(name)
            if not path.is_file():
                result = {"status": "rejected", "file": name, "kind": args.kind, "rows_added": 0,
                          "rows_updated": 0, "rows_unchanged": 0, "warnings": [],
                          "errors": [{"row": None, "column": None, "value": None,
                                      "message": f"There is no file {name}."}],
                          "upload_id": None, "summary": {}}
                worst = EXIT_UNUSABLE
            else:
                try:
                    outcome = import_file(store, path, CLI_ACTOR, kind=args.kind,
                                          dry_run=args.dry_run, options=options)
                except StalePlan as error:
                    print(str(error), file=sys.stderr)
                    return EXIT_REJECTED
                result = outcome.as_dict()
                if outcome.plan.unusable:
                    worst = EXIT_UNUSABLE
                elif result["status"] == "rejected":
                    worst = max(worst, EXIT_REJECTED)
            results.append(result)
            _print_result(result, args.json)
    finally:
        store.close()
    if args.json:
        payload = results[0] if len(results) == 1 else results
        print(json.dumps(payload, indent=2, default=str))
    return worst


def cmd_export(args: argparse.Namespace) -> int:
    from impact.exporting import export_bytes

    fmt = args.format or (Path(args.out).suffix.lstrip(".") if args.out else "csv") or "csv"
    with _store(args) as store:
        data = export_bytes(store, args.kind, fmt)
    if args.out:
        Path(args.out).write_bytes(data)
        print(f"Wrote {args.kind} to {args.out}", file=sys.stderr)
    elif fmt == "csv":
        sys.stdout.write(data.decode("utf-8-sig"))
    else:
        sys.stdout.buffer.write(data)
    return EXIT_OK


def cmd_uploads(args: argparse.Namespace) -> int:
    with _store(args) as store:
        frame = store.run("uploads")
    if args.json:
        frame = frame.drop(columns=["sha256"])
        frame["uploaded_at"] = frame["uploaded_at"].astype(str)
        print(json.dumps(frame.to_dict(orient="records"), indent=2, default=str))
        return EXIT_OK
    if frame.empty:
        print("No uploads yet.")
        return EXIT_OK
    for row in frame.itertuples():
        print(f"{row.upload_id:>5}  {row.uploaded_at:%Y-%m-%d %H:%M}  {row.status:<8} "
              f"{row.kind:<12} +{row.rows_added} ~{row.rows_updated} ={row.rows_unchanged}  "
              f"{row.file_name}  ({row.actor})")
    return EXIT_OK


def cmd_undo(args: argparse.Namespace) -> int:
    from impact.importing.pipeline import undo_upload
    from impact.importing.writing import UndoConflict

    with _store(args) as store:
        try:
            affected = undo_upload(store, args.upload_id, CLI_ACTOR)
        except (UndoConflict, LookupError) as error:
            print(str(error).strip("'\""), file=sys.stderr)
            return EXIT_REJECTED
    print(f"Undid upload {args.upload_id}: {affected} rows put back as they were.")
    return EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "demo": cmd_demo, "template": cmd_template, "import": cmd_import, "export": cmd_export,
    "uploads": cmd_uploads, "undo": cmd_undo,
}


def build_parser() -> argparse.ArgumentParser:
    from impact.importing.formats import all_formats
    from impact.importing.templates import template_kinds

    parser = argparse.ArgumentParser(
        prog="python -m impact",
        description="Partnership impact: build the store, make templates, import and export "
                    "returns, undo uploads, estimate impact.")
    parser.add_argument("--db", help="the store file (default: $IMPACT_DB or "
                                     "data/impact.duckdb)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("demo", help="build the demo store from the demo spreadsheets",
                       description="Generate the demo spreadsheets (fixed seed) under data/demo "
                                   "and load them through the same import path a head uses.")
    p.add_argument("--force", action="store_true", help="rebuild even if the store exists")
    p.add_argument("--dir", help="where to write the demo spreadsheets (default data/demo)")

    kinds = list(template_kinds())
    p = sub.add_parser("template", help="write an upload template (.xlsx)",
                       description="Write a blank upload template with instructions, drop-down "
                                   "lists and an example row.")
    p.add_argument("kind", choices=kinds, metavar="KIND", help=f"one of: {', '.join(kinds)}")
    p.add_argument("--out", required=True, help="the .xlsx file to write")

    p = sub.add_parser("import", help="import one or more files",
                       description="Check and import files (templates, DfE performance tables, "
                                   "Ofsted and GIAS files). Each file is one transaction: any "
                                   "error means nothing from that file is written.")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--kind", choices=list(all_formats()), metavar="KIND",
                   help=f"say what the file is instead of detecting it: "
                        f"{', '.join(all_formats())}")
    p.add_argument("--dry-run", action="store_true",
                   help="check and compare with the store, write nothing")
    p.add_argument("--json", action="store_true",
                   help="print one JSON object (a list for several files)")
    p.add_argument("--year", help="the academic year of a public data file, e.g. 2018/19")
    p.add_argument("--option", action="append", metavar="KEY=VALUE",
                   help="a format's option, e.g. groups='Example Trust' for GIAS links")

    p = sub.add_parser("export", help="export what is stored, in a template's shape",
                       description="Export stored rows in the template's own shape, so export "
                                   "then import changes nothing.")
    p.add_argument("kind", choices=kinds, metavar="KIND", help=f"one of: {', '.join(kinds)}")
    p.add_argument("--out", help="file to write (default: print CSV)")
    p.add_argument("--format", choices=["csv", "xlsx"], help="default: from --out, else csv")

    p = sub.add_parser("uploads", help="list uploads, newest first")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("undo", help="undo one upload as a whole")
    p.add_argument("upload_id", type=int, metavar="UPLOAD_ID")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return EXIT_OK if exit_.code == 0 else EXIT_UNUSABLE
    try:
        return COMMANDS[args.command](args)
    except StoreUnavailable as error:
        print(str(error), file=sys.stderr)
        return EXIT_UNUSABLE
