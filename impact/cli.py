"""`python -m impact`: the store, templates, imports and exports from the command line.

Every command takes `--db PATH` (default: `IMPACT_DB`, else `data/impact.duckdb`), `--as EMAIL`
(the account to act as; default: the store's first admin, or, on a store with no accounts yet,
the file's owner) and `--help`. What the account may do is decided by
`impact.auth.rights.allowed`, exactly as in the app, and recorded in the audit log.
Exit status: 0 success, 1 the data was rejected (or could not be undone), 2 an unusable
command or an unreadable file, 3 not allowed for this account.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from impact.auth import Actor, NotAllowed
from impact.config import db_path
from impact.store import Store, StoreUnavailable

if TYPE_CHECKING:
    from impact.analysis.estimate import Estimate

EXIT_OK, EXIT_REJECTED, EXIT_UNUSABLE, EXIT_REFUSED = 0, 1, 2, 3


def _store(args: argparse.Namespace) -> Store:
    return Store(db_path(args.db))


def _actor(store: Store, args: argparse.Namespace) -> Actor:
    """Who this command acts as (`--as`, else the first admin); AccountError if unknown."""
    from impact.auth import accounts

    return accounts.cli_actor(store, getattr(args, "as_", None))


def cmd_demo(args: argparse.Namespace) -> int:
    try:
        demo = importlib.import_module("impact.demo")
    except ModuleNotFoundError as error:
        if error.name != "impact.demo":
            raise
        print("The demo builder is not part of this copy of the product yet, so no demo store "
              "was made. Import your own files with `python -m impact import`.", file=sys.stderr)
        return EXIT_UNUSABLE

    from impact.auth.rights import REBUILD, require

    path = db_path(args.db)
    if args.force and path.exists():
        # Replacing a store throws away everything in it: only its admin may.
        with Store(path) as existing:
            require(_actor(existing, args), REBUILD)
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
        from impact.importing.public.scope import sentence

        kept = sentence(result.get("summary") or {})
        if kept:
            print(f"  {kept}")
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

    options: dict[str, object] = {}
    for item in args.option or []:
        key, _, value = item.partition("=")
        key, value = key.strip(), value.strip()
        if key in options:  # a repeated --option KEY=… adds to the choice
            earlier = options[key]
            options[key] = [*(earlier if isinstance(earlier, list) else [earlier]), value]
        else:
            options[key] = value
    if args.year:
        options["academic_year"] = args.year
    results = []
    worst = EXIT_OK
    store = _store(args)
    try:
        actor = _actor(store, args)
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
                    outcome = import_file(store, path, actor, kind=args.kind,
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
        data = export_bytes(store, args.kind, fmt, actor=_actor(store, args))
    if args.out:
        Path(args.out).write_bytes(data)
        print(f"Wrote {args.kind} to {args.out}", file=sys.stderr)
    elif fmt == "csv":
        sys.stdout.write(data.decode("utf-8-sig"))
    else:
        sys.stdout.buffer.write(data)
    return EXIT_OK


def cmd_uploads(args: argparse.Namespace) -> int:
    from impact.importing.pipeline import visible_uploads

    with _store(args) as store:
        frame = visible_uploads(store, _actor(store, args))
    if args.json:
        frame = frame.drop(columns=["sha256", "actor_email"], errors="ignore")
        frame["uploaded_at"] = frame["uploaded_at"].astype(str)
        print(json.dumps(frame.to_dict(orient="records"), indent=2, default=str))
        return EXIT_OK
    if frame.empty:
        print("No uploads yet.")
        return EXIT_OK
    for row in frame.itertuples():
        print(f"{row.upload_id:>5}  {row.uploaded_at:%Y-%m-%d %H:%M}  {row.status:<8} "
              f"{row.kind:<12} +{row.rows_added} ~{row.rows_updated} ={row.rows_unchanged}"
              + (f" -{row.rows_removed}" if row.rows_removed else "")
              + f"  {row.file_name}  ({row.actor})")
    return EXIT_OK


def cmd_undo(args: argparse.Namespace) -> int:
    from impact.importing.pipeline import undo_upload
    from impact.importing.writing import UndoConflict

    with _store(args) as store:
        try:
            affected = undo_upload(store, args.upload_id, _actor(store, args))
        except (UndoConflict, LookupError) as error:
            print(str(error).strip("'\""), file=sys.stderr)
            return EXIT_REJECTED
    print(f"Undid upload {args.upload_id}: {affected} rows put back as they were.")
    return EXIT_OK


def cmd_setup(args: argparse.Namespace) -> int:
    """The Set up page's renames and removal: the same edit, check, preview and transaction."""
    from impact.auth import audit
    from impact.auth.rights import SET_UP, allowed
    from impact.importing import edits
    from impact.importing.pipeline import StalePlan, commit, plan_edit

    with _store(args) as store:
        actor = _actor(store, args)
        decision = allowed(actor, SET_UP)
        if not decision:
            audit.write(store, actor, audit.UPLOAD, outcome=audit.REFUSED,
                        detail=f"setup {args.action}: {decision.reason}")
            raise NotAllowed(decision.reason)
        try:
            if args.action == "rename-partnership":
                edit = edits.rename_partnership(store, args.old, args.new)
            elif args.action == "rename-cohort":
                edit = edits.rename_cohort(store, args.partnership, args.old, args.new)
            else:
                edit = edits.remove_member(store, args.urn, args.partnership, args.cohort)
        except edits.EditRefused as error:
            print(str(error), file=sys.stderr)
            return EXIT_REJECTED
        plan = plan_edit(store, edit, actor)
        if not plan.ok:
            for problem in plan.problems:
                print(problem.message[0].upper() + problem.message[1:], file=sys.stderr)
            if plan.unusable:
                print(plan.unusable, file=sys.stderr)
            return EXIT_REJECTED
        print(edit.what)
        counts: dict[str, list[int]] = {}
        for change in plan.changes:
            total = counts.setdefault(change.label, [0, 0, 0])
            for i, n in enumerate((change.added, change.updated, change.removed)):
                total[i] += n
        for label, (added, updated, removed) in counts.items():
            if added or updated or removed:
                print(f"  {label}: +{added} ~{updated} -{removed}")
        if args.dry_run:
            print("Dry run: nothing was saved.")
            return EXIT_OK
        try:
            result = commit(store, plan, actor)
        except StalePlan as error:
            print(str(error), file=sys.stderr)
            return EXIT_REJECTED
    print(f"Saved as upload {result.upload_id} (undo it with `python -m impact undo "
          f"{result.upload_id}`).")
    return EXIT_OK


def _read_password(args: argparse.Namespace) -> str | None:
    """The password for `users add` / `reset`: from standard input with --password-stdin, none
    with --no-password, else a new random one (printed once)."""
    from impact.auth import accounts

    if getattr(args, "no_password", False):
        return None
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return accounts.new_password()


def cmd_users(args: argparse.Namespace) -> int:
    from impact.auth import accounts
    from impact.domain import roles

    with _store(args) as store:
        actor = _actor(store, args)
        if args.action == "list":
            frame = accounts.listing(store, actor)
            if args.json:
                print(json.dumps(frame.to_dict(orient="records"), indent=2))
            elif frame.empty:
                print("No accounts yet. Add the first admin with `python -m impact users add "
                      "EMAIL --role admin`.")
            else:
                for row in frame.to_dict("records"):
                    links = row["Schools (URN)"] or row["Partnerships"]
                    locked = f", locked until {row['Locked until']}" if row["Locked until"] else ""
                    print(f"{row['E-mail']:<32} {row['Role']:<28} {row['Name']}"
                          + (f" ({links})" if links else "")
                          + f"; {row['Signs in with']}{locked}")
                _print_demo_passwords(store)
            return EXIT_OK
        if args.action == "remove":
            accounts.remove(store, actor, args.email)
            print(f"Removed {accounts.normalise(args.email)}.")
            return EXIT_OK
        password = _read_password(args)
        if args.action == "add":
            added = accounts.add(store, actor, args.email, args.role, name=args.name,
                                 urns=args.school or (), partnerships=args.partnership or (),
                                 password=password)
            print(f"Added {added.email} as {roles.label(added.role)}.")
        else:
            if password is None:
                print("reset needs a password: leave out --no-password.", file=sys.stderr)
                return EXIT_UNUSABLE
            accounts.reset(store, actor, args.email, password)
            print(f"Reset the password of {accounts.normalise(args.email)} and unlocked it.")
        if password is not None and not args.password_stdin:
            print(f"Password: {password}\nGive it to them in person or by phone, not by e-mail.")
    return EXIT_OK


def _print_demo_passwords(store: Store) -> None:
    """On the demo store, the demo accounts' passwords, while they still work."""
    if (store.scalar("SELECT value FROM settings WHERE key = 'demo'") or "") != "true":
        return
    from impact import demo
    from impact.auth import accounts

    lines = [f"  {a.email:<24} {a.password}" for a in demo.DEMO_ACCOUNTS
             if (found := accounts.account(store, a.email)) is not None
             and found.password_hash and accounts.password_matches(found, a.password)]
    if lines:
        print("Demo store (fictional schools): sign in with e-mail and password")
        print("\n".join(lines))


def cmd_audit(args: argparse.Namespace) -> int:
    from impact.auth import audit

    with _store(args) as store:
        actor = _actor(store, args)
        if args.out or args.format:
            fmt = args.format or (Path(args.out).suffix.lstrip(".") if args.out else "csv")
            data = audit.export(store, actor, fmt or "csv")
            if args.out:
                Path(args.out).write_bytes(data)
                print(f"Wrote the audit log to {args.out}", file=sys.stderr)
            else:
                sys.stdout.buffer.write(data)
            return EXIT_OK
        frame = audit.entries(store, actor, limit=args.limit)
    if args.json:
        frame = frame.assign(happened_at=frame["happened_at"].astype(str))
        print(json.dumps(frame.to_dict(orient="records"), indent=2, default=str))
        return EXIT_OK
    for row in audit.table(frame).to_dict("records"):
        upload = f" upload {row['Upload']}" if not _missing(row["Upload"]) else ""
        print(f"{row['When']}  {row['Who'] or '-':<30} {row['What']:<24} {row['Outcome']:<8}"
              f"{upload}  {row['Details']}")
    return EXIT_OK


def _missing(value: object) -> bool:
    import pandas as pd

    return value is None or bool(pd.isna(value))


def _signed(value: float | None, decimals: int = 1) -> str:
    if value is None:
        return "n/a"
    text = f"{value:+.{decimals}f}"
    return text.replace("-", "−")


def _print_estimate(e: Estimate) -> None:
    """The estimate as a page says it: every sentence from `Estimate.words`."""
    from impact.analysis.estimate import BASE_LABELS
    from impact.domain.pupil_groups import group_label

    said = e.words
    print(f"{e.partnership} / {e.cohort}: {e.measure_label}, {group_label(e.group)}, "
          f"against {e.comparison_label}")
    if e.status != "ok":
        print(f"  No estimate: {e.reason}.")
    elif e.too_uncertain:
        print(f"  Effect: {said.value} ({said.span})")
    else:
        interval = ("no interval (too few schools)" if e.low is None else
                    f"95% interval {_signed(e.low)} to {_signed(e.high)}")
        print(f"  Effect: {_signed(e.effect)} points ({interval})")
    print(f"  What it shows: {e.verdict}")
    print(f"  {said.headline}")
    print(f"  Measured from: {BASE_LABELS[e.base]}")
    size = e.effect_size
    if size is not None and not e.too_uncertain:
        name = "Cohen's h" if size.kind == "cohens_h" else "standardised difference"
        print(f"  Effect size: {name} {said.size} ({said.size_words})")
    print(f"  Check of the years before joining: {said.check}")
    if said.dip:
        print(f"  {said.dip}")
    ev = e.evidence
    print(f"  Evidence: {ev.padlocks} of {ev.out_of} padlocks ({ev.label}). "
          f"{ev.explanation}")
    if e.event_study:
        print("  Years since joining:")
        for point in e.event_study:
            if point.reference:
                print(f"    {point.event_time:+d}  0 (base year)")
                continue
            span = ("" if point.low is None else " (too uncertain to say)"
                    if point.too_uncertain else
                    f" ({_signed(point.low)} to {_signed(point.high)})")
            bridged = "  [crosses the 2020-21 break]" if point.bridged else ""
            print(f"    {point.event_time:+d}  {_signed(point.estimate)}{span}, "
                  f"{point.schools} schools{bridged}")
    joining = ", ".join(f"{s.name} ({s.first_treated_year}"
                        + (f" to {s.last_treated_year}, left {s.left_date}"
                           if s.last_treated_year else "") + ")"
                        for s in e.joining_schools) or "none"
    print(f"  Joining schools: {joining}")
    print(f"  Comparison schools: {len(e.comparison_schools)}; years used: "
          f"{', '.join(e.years) or 'none'}")
    if said.dropped:
        print(f"  {said.dropped}")
    for item in e.excluded:
        print(f"  Left out: {item.name} ({item.urn}): {item.reason}")
    for note in e.notes:
        print(f"  Note: {note}")
    print(f"  {said.caveat}")


def cmd_estimate(args: argparse.Namespace) -> int:
    from impact.analysis import UnknownName, impact_estimate

    urns = None
    if args.urns:
        try:
            urns = [int(x) for x in args.urns.replace(" ", "").split(",") if x]
        except ValueError:
            print(f"--urns must be URNs separated by commas, not {args.urns!r}.",
                  file=sys.stderr)
            return EXIT_UNUSABLE
    from impact.auth.rights import SMALL_GROUPS, VIEW_PARTNERSHIP, Partnership, allowed, require
    from impact.domain.pupil_groups import group_label

    with _store(args) as store:
        actor = _actor(store, args)
        try:
            estimate = impact_estimate(
                store, cohort=args.cohort, measure=args.measure, group=args.group,
                comparison=args.comparison, partnership=args.partnership, urns=urns,
                draws=args.draws, seed=args.seed, max_event=args.max_event,
                neighbours=args.neighbours, base=args.base)
        except UnknownName as error:
            print(str(error), file=sys.stderr)
            return EXIT_UNUSABLE
        members = store.run("partnership_members")
        urns = frozenset(int(u) for u in members.loc[
            members["partnership"] == estimate.partnership, "urn"])
        require(actor, VIEW_PARTNERSHIP, Partnership(estimate.partnership, urns))
    if not allowed(actor, SMALL_GROUPS) and not estimate.governor_view_allowed:
        from impact.domain.small_numbers import GOVERNOR_MIN_GROUP

        print(f"{group_label(estimate.group)}: some years are about fewer than "
              f"{GOVERNOR_MIN_GROUP} pupils, too few to show in the governor view. "
              "Choose --group all.", file=sys.stderr)
        return EXIT_REFUSED
    if args.json:  # the dict exists only here, for scripts; its keys stay stable
        print(json.dumps(estimate.as_dict(), indent=2, default=str))
    else:
        _print_estimate(estimate)
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from impact.auth import audit
    from impact.reports.pack import PackRefused, build_pack
    from impact.reports.pack_files import FORMATS, pack_bytes

    fmt = Path(args.out).suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        print(f"--out must end in .html or .pdf, not {args.out!r}.", file=sys.stderr)
        return EXIT_UNUSABLE
    with _store(args) as store:
        actor = _actor(store, args)
        try:
            pack = build_pack(store, actor, partnership=args.partnership, cohort=args.cohort,
                              year=args.year, measure=args.measure)
            data = pack_bytes(pack, fmt)
        except PackRefused as error:
            print(str(error), file=sys.stderr)
            return EXIT_UNUSABLE
        Path(args.out).write_bytes(data)
        audit.write(store, actor, audit.EXPORT_ROWS,
                    detail=f"board pack ({fmt}) for {pack.place}: {Path(args.out).name}")
    print(f"Wrote the board pack for {pack.place} ({pack.period}) to {args.out}",
          file=sys.stderr)
    return EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "demo": cmd_demo, "template": cmd_template, "import": cmd_import, "export": cmd_export,
    "uploads": cmd_uploads, "undo": cmd_undo, "estimate": cmd_estimate, "users": cmd_users,
    "audit": cmd_audit, "report": cmd_report, "setup": cmd_setup,
}


def build_parser() -> argparse.ArgumentParser:
    from impact.importing.formats import all_formats
    from impact.importing.templates import template_kinds

    parser = argparse.ArgumentParser(
        prog="python -m impact",
        description="Partnership impact: build the store, make templates, import and export "
                    "returns, undo uploads, rename and remove in the set-up, estimate "
                    "impact, make the board pack.")
    db_help = "the store file (default: $IMPACT_DB or data/impact.duckdb)"
    as_help = ("the account to act as, by e-mail (default: the store's first admin; a store "
               "with no accounts yet: its owner)")
    parser.add_argument("--db", help=db_help)
    parser.add_argument("--as", dest="as_", metavar="EMAIL", help=as_help)
    # --db and --as are also accepted after the command (`python -m impact import f.xlsx --db x`).
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS, help=db_help)
    common.add_argument("--as", dest="as_", metavar="EMAIL", default=argparse.SUPPRESS,
                        help=as_help)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("demo", parents=[common],
                       help="build the demo store from the demo spreadsheets",
                       description="Generate the demo spreadsheets (fixed seed) under data/demo "
                                   "and load them through the same import path a head uses.")
    p.add_argument("--force", action="store_true", help="rebuild even if the store exists")
    p.add_argument("--dir", help="where to write the demo spreadsheets (default data/demo)")

    kinds = list(template_kinds())
    p = sub.add_parser("template", parents=[common],
                       help="write an upload template (.xlsx)",
                       description="Write a blank upload template with instructions, drop-down "
                                   "lists and an example row.")
    p.add_argument("kind", choices=kinds, metavar="KIND", help=f"one of: {', '.join(kinds)}")
    p.add_argument("--out", required=True, help="the .xlsx file to write")

    p = sub.add_parser("import", parents=[common],
                       help="import one or more files",
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
                   help="a format's option, e.g. groups='Example Trust' for GIAS links; repeat "
                        "it (or separate names with ;) to choose several")

    p = sub.add_parser("export", parents=[common],
                       help="export what is stored, in a template's shape",
                       description="Export stored rows in the template's own shape, so export "
                                   "then import changes nothing.")
    p.add_argument("kind", choices=kinds, metavar="KIND", help=f"one of: {', '.join(kinds)}")
    p.add_argument("--out", help="file to write (default: print CSV)")
    p.add_argument("--format", choices=["csv", "xlsx"], help="default: from --out, else csv")

    p = sub.add_parser("uploads", parents=[common],
                       help="list uploads, newest first",
                       description="List every upload, newest first: who, when, what kind, "
                                   "rows added (+), updated (~) and unchanged (=), and whether "
                                   "it was undone.")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("undo", parents=[common],
                       help="undo one upload as a whole",
                       description="Put back every row one upload added or changed, in one "
                                   "transaction. Refused if a later upload changed the same "
                                   "rows: undo that one first.")
    p.add_argument("upload_id", type=int, metavar="UPLOAD_ID")

    p = sub.add_parser("setup", parents=[common],
                       help="rename a partnership or cohort, remove a membership (admins)",
                       description="What the Set up page does beyond a template: rename a "
                                   "partnership (its cohorts, schools, improvement projects "
                                   "and linked governors follow) or a cohort (its schools "
                                   "follow), or remove a school entered in a cohort by mistake "
                                   "(not a left date: as if it had never been in it). Checked "
                                   "and saved like an upload, listed by `uploads`, undone by "
                                   "`undo`.")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    a = actions.add_parser("rename-partnership", parents=[common], help="rename a partnership")
    a.add_argument("old", metavar="PARTNERSHIP")
    a.add_argument("new", metavar="NEW_NAME")
    a = actions.add_parser("rename-cohort", parents=[common], help="rename a cohort")
    a.add_argument("partnership", metavar="PARTNERSHIP")
    a.add_argument("old", metavar="COHORT")
    a.add_argument("new", metavar="NEW_NAME")
    a = actions.add_parser("remove-member", parents=[common],
                           help="remove a school entered in a cohort by mistake")
    a.add_argument("urn", type=int, metavar="URN")
    a.add_argument("partnership", metavar="PARTNERSHIP")
    a.add_argument("cohort", metavar="COHORT")
    for a in actions.choices.values():
        a.add_argument("--dry-run", action="store_true",
                       help="check and show the change without saving it")

    from impact.domain.roles import ROLES

    p = sub.add_parser("users", parents=[common],
                       help="manage accounts: add, remove, reset, list",
                       description="Accounts that may sign in (admins only; on a store with no "
                                   "accounts yet, add the first admin). A new account gets a "
                                   "random password, printed once, unless --password-stdin or "
                                   "--no-password (signs in only with Microsoft 365 or Google "
                                   "Workspace).")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    a = actions.add_parser("add", parents=[common], help="add an account")
    a.add_argument("email", metavar="EMAIL")
    a.add_argument("--role", required=True, choices=ROLES, help="admin, head or governor")
    a.add_argument("--school", action="append", type=int, metavar="URN",
                   help="a head's school (repeat for several)")
    a.add_argument("--partnership", action="append", metavar="NAME",
                   help="a governor's partnership")
    a.add_argument("--name", help="their name as the app shows it (default: from the e-mail)")
    a.add_argument("--password-stdin", action="store_true",
                   help="read the password from standard input instead of making one")
    a.add_argument("--no-password", action="store_true",
                   help="no password: signs in only through Microsoft 365 or Google Workspace")
    r = actions.add_parser("remove", parents=[common], help="remove an account")
    r.add_argument("email", metavar="EMAIL")
    r = actions.add_parser("reset", parents=[common],
                           help="give an account a new password and unlock it")
    r.add_argument("email", metavar="EMAIL")
    r.add_argument("--password-stdin", action="store_true",
                   help="read the password from standard input instead of making one")
    r = actions.add_parser("list", parents=[common], help="list the accounts")
    r.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("audit", parents=[common],
                       help="the audit log (admins only)",
                       description="Who signed in (or failed to), uploaded, undid, exported or "
                                   "changed an account, and when, newest first. --out or "
                                   "--format exports the whole log (the export is recorded).")
    p.add_argument("--limit", type=int, default=50, help="entries to print (default 50)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--out", help="write the whole log to this file (.csv or .xlsx)")
    p.add_argument("--format", choices=["csv", "xlsx"], help="default: from --out, else csv")

    from impact.analysis.did import BASES, DEFAULT_BASE, DEFAULT_DRAWS, DEFAULT_SEED
    from impact.analysis.estimate import COMPARISON_KINDS

    p = sub.add_parser("estimate", parents=[common],
                       help="estimate a cohort's impact on a measure",
                       description="Difference-in-differences for staggered joining "
                                   "(Callaway & Sant'Anna): the effect after joining against "
                                   "comparable schools, with a 95% interval from a bootstrap "
                                   "clustered by school, the effect by years since joining, a "
                                   "check of the years before joining, effect size and EEF "
                                   "months, and a strength-of-evidence badge. Seeded: the same "
                                   "store gives the same numbers.")
    p.add_argument("--cohort", required=True,
                   help="'Partnership / Cohort', or a cohort name that is unique")
    p.add_argument("--measure", required=True, help="a measure's code, label or short label")
    p.add_argument("--group", default="all", help="a pupil group (default: all pupils)")
    p.add_argument("--comparison", default="not_yet_joined", choices=COMPARISON_KINDS,
                   metavar="KIND", help=f"one of: {', '.join(COMPARISON_KINDS)} "
                                        "(default: not_yet_joined)")
    p.add_argument("--base", default=DEFAULT_BASE, choices=BASES,
                   help="what each school's results after joining are measured from: "
                        "pre_mean, its average over the years before joining (default), or "
                        "last, its last year before joining")
    p.add_argument("--partnership", help="the partnership, when the cohort name repeats")
    p.add_argument("--urns", help="for --comparison chosen: URNs separated by commas")
    p.add_argument("--draws", type=int, default=DEFAULT_DRAWS,
                   help=f"bootstrap draws (default {DEFAULT_DRAWS})")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED,
                   help=f"bootstrap seed (default {DEFAULT_SEED})")
    p.add_argument("--max-event", type=int, default=3,
                   help="years either side of joining on the event-study curve (default 3)")
    p.add_argument("--neighbours", type=int, default=5,
                   help="for --comparison similar: matches per joining school (default 5)")
    p.add_argument("--json", action="store_true", help="print one JSON object")

    p = sub.add_parser("report", parents=[common],
                       help="make the board pack (.html or .pdf)",
                       description="The board pack for a partnership or one of its cohorts: a "
                                   "cover with the files it was made from, the impact "
                                   "statements with their evidence and caveats, each chart "
                                   "with its sentence and table, the Ofsted and CPD summaries, "
                                   "a glossary and the method in plain words. Always the "
                                   "governor view. The numbers are the pages' numbers.")
    p.add_argument("--partnership", required=True, help="the partnership, by name")
    p.add_argument("--cohort", help="one of its cohorts (default: the whole partnership)")
    p.add_argument("--year", help="the last academic year the charts over time show, e.g. "
                                  "2024/25 (default: the latest with figures)")
    p.add_argument("--measure", help="the measure's code (default: KS2 RWM expected, as the "
                                     "pages open)")
    p.add_argument("--out", required=True,
                   help="the file to write: .html (interactive, works offline) or .pdf (A4)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return EXIT_OK if exit_.code == 0 else EXIT_UNUSABLE
    from impact.auth.accounts import AccountError

    try:
        return COMMANDS[args.command](args)
    except NotAllowed as error:
        print(str(error), file=sys.stderr)
        return EXIT_REFUSED
    except (StoreUnavailable, AccountError) as error:
        print(str(error), file=sys.stderr)
        return EXIT_UNUSABLE
    except OSError as error:  # a file to read or write: say which, without a stack trace
        where = f" {error.filename}" if error.filename else ""
        print(f"Could not use the file{where}: {error.strerror or error}.", file=sys.stderr)
        return EXIT_UNUSABLE
