"""Synthetic ``nysoc-summary`` documents (format version 2) of a large municipality.

    python benchmarks/synthetic_summaries.py OUT_DIR [--n 1000] [--seed 1]

:func:`synthetic_summaries` makes ``n`` pairings with the shapes real ones have: eight
departments, starts spread over the 18 months before ``today``, phases that follow from the
time passed (some stalling: no meeting for months, no next meeting, past their end), a
meeting every 2–5 weeks with 2–3 planned ahead, 3–7 of the 19 example learning goals and
0–2 own ones with a history of saves moving them on, a midway and a closing evaluation from
the mentor and the mentee (scores shared in about 7 of 10), the counts per template and
``records`` – every record as ``boundary.shareable_record`` lets it out – so a file has the
size a shared summary has. Deterministic for a given ``seed`` and ``today``. Used by
``coordinator_bench.py`` and its test; nothing here is real.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from pathlib import Path
from typing import Any

EXAMPLES = [
    ("arbejdstilrettelaeggelse", "Arbejdstilrettelæggelse"),
    ("professionel_personlig_privat", "At være professionel, personlig og privat"),
    ("den_svaere_samtale", "Den svære samtale"),
    ("etiske_dilemmaer", "Etiske dilemmaer"),
    ("vrede_eller_kede_af_det", "Håndtering af borgere, der bliver vrede eller kede af det"),
    ("egne_foelelser", "Håndtering af egne følelser"),
    ("krydspres", "Håndtering af krydspres med modsatrettede forventninger"),
    ("stress", "Håndtering af stress"),
    ("myndighedsrollen", "Myndighedsrollen"),
    ("praksischok", "Praksischok"),
    ("sags_og_episodeanalyse", "Sags- og episodeanalyse"),
    ("samarbejdsrelationer", "Samarbejdsrelationer"),
    ("tvaerfaglig_koordinering", "Tværfaglig koordinering"),
    ("vidensbasering", "Vidensbasering og inddragelse af viden i opgaveløsningen"),
    ("lovgivning", "Lovgivning og forvaltningsret"),
    ("dokumentation", "Dokumentation og journalføring"),
    ("boernesamtaler", "Samtaler med børn og unge"),
    ("netvaerk", "Netværksarbejde"),
    ("egen_rolle", "Egen rolle i organisationen"),
]
DEPARTMENTS = ["Børn og Familie", "Børn og Unge – Handicap", "Jobcenter – Ydelse",
               "Jobcenter – Sygedagpenge", "Voksenhandicap", "Socialpsykiatri",
               "Ældreområdet", "Familieafdelingen – Myndighed"]
ASPECTS = [("indhold", "Indhold"), ("laeringsmaal", "Læringsmål"), ("relevans", "Relevans"),
           ("form", "Form"), ("rammer", "Rammer"), ("metode", "Metode"),
           ("udbytte", "Udbytte")]
STATUS_LABELS = {"ikke_startet": "Ikke startet", "i_gang": "I gang", "naaet": "Nået"}
LETTERS = "ABDEFGHIJKLMNOPRSTUVÅØ"


def _initials(rnd: random.Random) -> str:
    return "".join(rnd.choice(LETTERS) + "." for _ in range(rnd.choice((2, 2, 3))))


def _record(pid: str, template: str, created: dt.date, fields: dict[str, Any]) -> dict[str, Any]:
    return {"pairing": pid, "template_id": template, "template_version": 1,
            "status": "final", "created": created.isoformat(), "updated": created.isoformat(),
            "versions": 1, "fields": fields}


def synthetic_summary(i: int, rnd: random.Random, today: dt.date) -> dict[str, Any]:
    """Pairing number ``i``: a version 2 summary as a pair would share it on ``today``."""
    pid = f"par-{i:05d}"
    start = today - dt.timedelta(days=rnd.randint(0, 540))
    end = start + dt.timedelta(days=rnd.randint(240, 330))
    stalls = rnd.random() < 0.15
    began = {"forberedelse": start.isoformat()}
    records: list[dict[str, Any]] = []
    agreement = None
    held: list[dt.date] = []
    planned: list[dt.date] = []
    if (today - start).days > rnd.randint(10, 40):
        made = start + dt.timedelta(days=rnd.randint(3, 21))
        planned = [made + dt.timedelta(days=14 * k) for k in (1, 2, 3)]
        agreement = {"status": "final", "created": made.isoformat(),
                     "meetings_agreed": rnd.randint(6, 12), "start": start.isoformat(),
                     "end": end.isoformat()}
        began["opstart"] = made.isoformat()
        records.append(_record(pid, "samarbejdsaftale", made, {
            "antal_moeder": agreement["meetings_agreed"], "startdato": start.isoformat(),
            "slutdato": end.isoformat(), "naeste_moede": planned[0].isoformat()}))
        day = planned[0]
        last = min(today, end + dt.timedelta(days=20)) - (dt.timedelta(days=90) if stalls
                                                            else dt.timedelta())
        while day <= last:
            held.append(day)
            nxt = day + dt.timedelta(days=rnd.randint(14, 35))
            records.append(_record(pid, "mentormoede", day, {
                "dato": day.isoformat(), "naeste_dato": nxt.isoformat()}))
            planned.append(nxt)
            day = nxt
        if held:
            began["laering"] = held[0].isoformat()
    planned_left = sorted({d for d in planned if d not in held})
    goals = rnd.sample(EXAMPLES, rnd.randint(3, 7))
    own = [f"Eget læringsmål {k}" for k in range(1, rnd.randint(0, 2) + 1)]
    titles = [t for _, t in goals] + own
    history = []
    status = dict.fromkeys(titles, "ikke_startet")
    if agreement:
        saves = sorted(rnd.sample(held, min(len(held), rnd.randint(1, 6)))) if held else []
        for version, day in enumerate([dt.date.fromisoformat(agreement["created"]), *saves],
                                      start=1):
            history.append({"date": day.isoformat(), "version": version,
                            "goals": dict(status)})
            for title in titles:
                if rnd.random() < 0.4 and status[title] != "naaet":
                    status[title] = "i_gang" if status[title] == "ikke_startet" else "naaet"
    learning_goals = ([{"id": gid, "title": t, "own": False, "status": status[t],
                        "status_label": STATUS_LABELS[status[t]]} for gid, t in goals] +
                      [{"id": None, "title": t, "own": True, "status": status[t],
                        "status_label": STATUS_LABELS[status[t]]} for t in own]) \
        if agreement else []
    evaluations = []
    for kind, share in (("midtvejs", 0.5), ("afslutning", 1.0)):
        if len(held) < 4 or (kind == "afslutning" and today < end - dt.timedelta(days=20)) \
                or rnd.random() > share or (kind == "afslutning" and stalls):
            continue
        day = held[len(held) // 2] if kind == "midtvejs" else held[-1]
        for by in ("mentor", "mentee"):
            consent = "ja" if rnd.random() < 0.7 else "nej"
            scores = {a: rnd.choice((2, 3, 4, 4, 5, 5)) for a, _ in ASPECTS} \
                if consent == "ja" else {}
            evaluations.append({
                "status": "final", "created": day.isoformat(), "consent": consent,
                "date": day.isoformat(), "type": kind, "by": by, "scores": scores,
                "labels": dict(ASPECTS) if scores else {},
                "average": round(sum(scores.values()) / len(scores), 2) if scores else None})
            records.append(_record(pid, "evaluering", day, {"del_scorer": consent, **scores}))
        if kind == "afslutning":
            began["afslutning"] = day.isoformat()
    phase = list(began)[-1]
    return {
        "format": "nysoc-summary", "format_version": 2, "generated": today.isoformat(),
        "shared": {"at": f"{today.isoformat()}T{rnd.randint(7, 15):02d}:"
                         f"{rnd.randint(0, 59):02d}:00Z",
                   "by": rnd.choice(("mentor", "mentee"))},
        "pairing": {"id": pid, "department": rnd.choice(DEPARTMENTS),
                    "initials": {"mentor": _initials(rnd), "mentee": _initials(rnd)},
                    "start_date": start.isoformat(), "planned_end": end.isoformat()},
        "phase": {"current": phase, "began": began},
        "meetings": {"held": [d.isoformat() for d in held],
                     "planned": [d.isoformat() for d in planned_left]},
        "status_meetings": {"held": [], "planned": []},
        "agreement": agreement,
        "learning_goals": learning_goals,
        "learning_goal_history": history,
        "evaluation": evaluations[-1] if evaluations else None,
        "evaluations": evaluations,
        "counts": {"mentormoede": {"title": "Mentormøde", "total": len(held),
                                   "final": len(held), "draft": 0,
                                   "first": held[0].isoformat() if held else None,
                                   "last": held[-1].isoformat() if held else None,
                                   "dates": {"dato": [d.isoformat() for d in held]}}},
        "records": records,
    }


def synthetic_summaries(n: int, *, seed: int = 1, today: dt.date = dt.date(2026, 11, 23)
                        ) -> list[dict[str, Any]]:
    """``n`` synthetic pairings' summaries (see the module docstring)."""
    rnd = random.Random(seed)
    return [synthetic_summary(i, rnd, today) for i in range(1, n + 1)]


def write_summaries(folder: Path, n: int, *, seed: int = 1,
                    today: dt.date = dt.date(2026, 11, 23)) -> list[Path]:
    """Write ``n`` synthetic summaries into ``folder`` as pairs share them."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for summary in synthetic_summaries(n, seed=seed, today=today):
        path = folder / f"{summary['pairing']['id']}.nysoc-summary.json"
        path.write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    paths = write_summaries(args.out, args.n, seed=args.seed)
    print(f"{len(paths)} summaries in {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
