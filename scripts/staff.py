"""Staff command line for scripts (the console, `make run`, is for people): list, show, export,
status, reply, and the outbox's uncertain replies. Same repository functions as the console.

make staff ARGS="list --overdue"
make staff ARGS="reply JY-20261126-AB3K-7 '已转交绿化部门处理' --by wang --close-as answered"
make staff ARGS="outbox uncertain"
make staff ARGS="outbox resolve 12 --delivered --by wang"   # or --resend
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from language.reference import find_reference
from store import casework_repo, export, outbox_repo, queue_repo, reply_repo, suggestion_repo
from store.db import get_sessionmaker


def cmd_list(args) -> int:
    with get_sessionmaker().begin() as session:
        for s in suggestion_repo.list_suggestions(
            session, status=args.status, category=args.category, overdue=args.overdue
        ):
            r = export.row(s)
            flags = " ".join(
                f for f in ("URGENT" if r["urgent"] else "", "OVERDUE" if r["overdue"] else "") if f
            )
            print(
                f"{r['reference']}  {r['created_at']}  {r['status']:<11} {r['category']:<11} {flags}  {r['text'][:40]}"
            )
    return 0


def cmd_show(args) -> int:
    with get_sessionmaker().begin() as session:
        s = _get(session, args.reference)
        for key, value in export.row(s).items():
            print(f"{key:>12}: {value}")
        for change in s.history:
            print(
                f"     history: {change.changed_at:%Y-%m-%d %H:%M} {change.from_status} → {change.to_status} by {change.changed_by} {change.note}"
            )
    return 0


def cmd_export(args) -> int:
    with get_sessionmaker().begin() as session:
        found = queue_repo.all_matching(session, queue_repo.Filters(status=args.status or ""))
        data = export.to_xlsx(found) if args.file.endswith(".xlsx") else export.to_csv(found)
    Path(args.file).write_bytes(data)  # CSV in UTF-8 with BOM: Excel reads Chinese
    print(f"exported {len(found)} suggestions to {args.file}")
    return 0


def cmd_status(args) -> int:
    with get_sessionmaker().begin() as session:
        reply_repo.change_status(
            session, _get(session, args.reference), status=args.status, by=args.by, note=args.note
        )
    print(f"{args.reference}: {args.status}")
    return 0


def cmd_reply(args) -> int:
    with get_sessionmaker().begin() as session:
        s = _get(session, args.reference)
        reply_repo.publish_reply(session, s, text=args.text, by=args.by, close_as=args.close_as)
        queued = s.wants_reply and bool(s.reply_address)
    print(f"{args.reference}: reply published" + (", queued for the resident" if queued else ""))
    return 0


def cmd_outbox_uncertain(args) -> int:
    with get_sessionmaker().begin() as session:
        messages = outbox_repo.uncertain(session)
        for m in messages:
            reference = m.suggestion.reference if m.suggestion else "-"
            print(
                f"{m.id:>6}  {reference}  {m.channel:<9} {m.created_at:%Y-%m-%d %H:%M}  "
                f"attempts={m.attempts}  {m.last_error[:60]}  {m.text[:40]!r}"
            )
    print(f"{len(messages)} uncertain: ask the resident, then resolve --delivered or --resend")
    return 0


def cmd_outbox_resolve(args) -> int:
    with get_sessionmaker().begin() as session:
        casework_repo.resolve_delivery(session, args.id, delivered=args.delivered, by=args.by)
    print(f"outbox {args.id}: " + ("delivered" if args.delivered else "queued to send again"))
    return 0


def _get(session, reference: str):
    found = suggestion_repo.get_by_reference(
        session, reference=find_reference(reference) or reference
    )
    if found is None:
        raise SystemExit(f"no suggestion {reference}")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("list", help="list suggestions, newest first")
    p.add_argument("--status", choices=suggestion_repo.STATUSES)
    p.add_argument("--category")
    p.add_argument("--overdue", action="store_true")
    p.set_defaults(func=cmd_list)
    p = commands.add_parser("show", help="one suggestion with its history")
    p.add_argument("reference")
    p.set_defaults(func=cmd_show)
    p = commands.add_parser("export", help="CSV in UTF-8 with BOM (opens in Excel), or .xlsx")
    p.add_argument("file")
    p.add_argument("--status", choices=suggestion_repo.STATUSES)
    p.set_defaults(func=cmd_export)
    p = commands.add_parser("status", help="change the status")
    p.add_argument("reference")
    p.add_argument("status", choices=suggestion_repo.STATUSES)
    p.add_argument("--by", required=True, help="your staff name (audited)")
    p.add_argument("--note", default="")
    p.set_defaults(func=cmd_status)
    p = commands.add_parser("reply", help="publish a reply (and optionally close)")
    p.add_argument("reference")
    p.add_argument("text")
    p.add_argument("--by", required=True, help="your staff name (audited)")
    p.add_argument("--close-as", choices=sorted(suggestion_repo.CLOSING))
    p.set_defaults(func=cmd_reply)
    p = commands.add_parser("outbox", help="replies that may not have reached the resident")
    outbox = p.add_subparsers(dest="outbox_command", required=True)
    o = outbox.add_parser("uncertain", help="list the uncertain replies")
    o.set_defaults(func=cmd_outbox_uncertain)
    o = outbox.add_parser("resolve", help="resolve an uncertain reply")
    o.add_argument("id", type=int)
    decision = o.add_mutually_exclusive_group(required=True)
    decision.add_argument("--delivered", action="store_true", help="the resident has it")
    decision.add_argument("--resend", action="store_true", help="send it again")
    o.add_argument("--by", required=True, help="your staff name (audited)")
    o.set_defaults(func=cmd_outbox_resolve)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
