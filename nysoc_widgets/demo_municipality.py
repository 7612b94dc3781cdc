"""An invented municipality for the demo: 24 pairings that share their summaries.

``nysoc demo`` (:func:`demo.create_demo`) grows it beside the mentee's demo workspace, so
that the coordinator's overview, charts and alerts have something to show:

- ``kommunens-par/`` – a pair workspace holding the 24 pairings of four departments
  (Børn og Unge, Voksenhandicap, Jobcenter, Ældre og Sundhed), started over the last 18
  months and at every phase: the contact person's introduction programme, preparation,
  start-up, learning (some with a midway evaluation), closed with evaluations – and some
  stalling: no meeting for months, no next meeting planned, no collaboration agreement
  weeks after the start, past the planned end without a closing evaluation. Consent to
  share the scores is yes in some evaluations and no in others;
- ``delte-opsummeringer/`` – each pairing shared through :func:`sharing.share_summary` (by
  the mentor, the mentee or the contact person, on the day after its last record);
- ``tovholder/`` – the coordinator's workspace (role ``koordinator``), whose
  ``share_folder`` points at the shared summaries, with the ``[alerts]`` thresholds.

Records are written back in time through the store's import path (:func:`import_plan`,
shared with :mod:`.demo`), with :class:`demo._Plan`'s dates and texts. Invented: no real
persons, no citizens. Deterministic for a given ``today`` and ``seed``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .demo import DemoPairing, Entry, _Plan
from .records import Pairing, Record, RecordVersion, problems

__all__ = ["COORDINATOR", "PAIRS", "SHARED", "Municipality", "create_municipality",
           "import_plan", "municipality_plan"]

#: The demo's folders, inside the demo workspace.
PAIRS, SHARED, COORDINATOR = "kommunens-par", "delte-opsummeringer", "tovholder"

DEPARTMENTS = {"bu": "Børn og Unge", "vh": "Voksenhandicap", "jc": "Jobcenter",
               "aes": "Ældre og Sundhed"}
_FIRST = ("Anne", "Bente", "Carsten", "Dorte", "Erik", "Frederik", "Gitte", "Henrik", "Ida",
          "Jakob", "Karen", "Lars", "Maja", "Niels", "Oliver", "Pia", "Rasmus", "Signe",
          "Tobias", "Ulla", "Vibeke", "William", "Yasmin", "Zara", "Emma", "Noah", "Laura",
          "Ahmad", "Clara", "Mathias")
_LAST = ("Andersen", "Bach", "Dahl", "Eriksen", "Falk", "Gregersen", "Holm", "Iversen",
         "Juhl", "Kjær", "Lassen", "Mortensen", "Nygaard", "Overgaard", "Poulsen",
         "Qvist", "Riis", "Storm", "Thygesen", "Vestergaard")

#: (department, days since the start, what has happened, the evaluations' consent, weeks
#: from the start to the planned end). See :func:`_build` for the scenarios.
PLAN: tuple[tuple[str, int, str, str, int], ...] = (
    ("aes", 40, "introduktion", "", 26), ("jc", 75, "introduktion", "", 26),
    ("bu", 6, "forberedelse", "", 36), ("vh", 16, "forberedelse", "", 36),
    ("jc", 63, "ingen_aftale", "", 36), ("aes", 84, "ingen_aftale", "", 36),
    ("bu", 12, "opstart", "", 36), ("aes", 20, "opstart", "", 36),
    ("bu", 70, "laering", "", 36), ("vh", 105, "laering", "", 36),
    ("jc", 140, "laering", "", 40), ("aes", 175, "laering", "", 40),
    ("bu", 200, "laering", "", 44), ("vh", 230, "laering", "", 44),
    ("jc", 190, "midtvejs", "ja", 40), ("bu", 215, "midtvejs", "nej", 44),
    ("vh", 160, "gaaet_i_staa", "", 36), ("aes", 250, "gaaet_i_staa", "", 44),
    ("jc", 120, "intet_naeste_moede", "", 36),
    ("bu", 330, "over_slutdato", "ja", 36), ("vh", 380, "over_slutdato", "", 40),
    ("jc", 420, "afsluttet", "ja", 40), ("aes", 480, "afsluttet", "nej", 44),
    ("vh", 540, "afsluttet", "ja", 48),
)
_SCORES = ("indhold", "laeringsmaal", "relevans", "form", "rammer", "metode", "udbytte")
_EXAMPLES = ("praksischok", "myndighedsrollen", "den_svaere_samtale", "stress",
             "arbejdstilrettelaeggelse", "tvaerfaglig_koordinering", "etiske_dilemmaer",
             "krydspres", "egne_foelelser", "vidensbasering")


@dataclass(frozen=True)
class Municipality:
    """What :func:`create_municipality` made."""

    pairs: Any  # workspace.Workspace holding the 24 pairings
    coordinator: Any  # workspace.Workspace (role koordinator)
    share_folder: Path
    pairings: tuple[DemoPairing, ...]
    files: tuple[Path, ...]


class _Town(_Plan):
    """:class:`demo._Plan` with what the municipality adds: the introduction programme,
    evaluations of either kind, and meetings that stop or plan nothing."""

    def introduction(self, meetings: int) -> None:
        self.add("introduktion_tjekliste", "kontaktperson", 1,
                 kontaktperson="Jeg er din kontaktperson de første måneder.",
                 faglige=["indhold_og_metoder", "lovgivning", "arbejdsgange"],
                 sociale=["taetteste_kolleger", "pauser"],
                 organisatoriske=["moedestrukturer", "ledelseshierarkiet"],
                 praktiske=["passwords", "finde_rundt", "telefonoversigter"])
        days = [self.day(7 + 28 * n, 2) for n in range(meetings + 1)]
        for n in range(meetings):
            self.add("statusmoede", "kontaktperson", days[n], dato=days[n],
                     naeste_dato=days[n + 1], tjekliste_status="i_gang",
                     hvordan_gaar_det="Travlt, men bedre for hver uge.",
                     behov=["faglige", "organisatoriske"],
                     aftaler="Vi gennemgår de sidste punkter på tjeklisten næste gang.")

    def own_goals(self, reached: int) -> None:
        """Four of the examples and one own goal; ``reached`` of them reached."""
        examples = self.rng.sample(_EXAMPLES, 4)
        status = ["naaet"] * reached + ["i_gang"] * 2 + ["ikke_startet"] * 3
        self.goals({e: status[i] for i, e in enumerate(examples)},
                   {"Overblik over egne sager": status[4]}, offset=10)

    def evaluation_by(self, offset: int, kind: str, by: str, consent: str) -> None:
        day = self.day(offset)
        self.add("evaluering", by, day, dato=day, evaluering_type=kind, udfyldt_af=by,
                 del_scorer=consent or "nej", tovholder_inddraget=self.rng.choice(
                     ("ja", "nej")), **{k: self.rng.randint(2, 5) for k in _SCORES},
                 kommentarer="Møderne har givet ro til at tænke sagerne igennem.")

    def no_next_meeting(self) -> None:
        """The latest meeting planned none (its ``naeste_dato`` left empty)."""
        last = max((e for e in self.entries if e.template_id == "mentormoede"),
                   key=lambda e: e.values["dato"])
        last.values.pop("naeste_dato", None)


def _meetings_until(days: int, every: int = 21) -> int:
    """How many meetings every ``every`` days from day 14 fit before day ``days`` - 2."""
    return max(0, (days - 2 - 14) // every + 1) if days > 16 else 0


def _build(plan: _Town, scenario: str, days: int, consent: str, weeks: int) -> None:
    """The records of one pairing, ``days`` after its start, as ``scenario`` has it."""
    if scenario == "introduktion":  # the contact person's status meetings, every 4 weeks
        plan.introduction(meetings=max(1, (days - 9) // 28 + 1))
        return
    plan.preparation()
    if scenario in ("forberedelse", "ingen_aftale"):
        return
    plan.agreement(meetings=8)
    plan.own_goals(reached={"laering": 1, "midtvejs": 1, "over_slutdato": 2,
                            "afsluttet": 3}.get(scenario, 0))
    if scenario == "opstart":
        return
    held = _meetings_until(days)  # every three weeks, up to now
    if scenario == "gaaet_i_staa":  # stopped some 3-4 months ago
        held = max(2, _meetings_until(days - 100))
    if scenario in ("over_slutdato", "afsluttet"):
        held = min(held, 9)
    plan.meetings(held)
    if scenario == "intet_naeste_moede":
        plan.no_next_meeting()
    if scenario == "midtvejs":
        plan.evaluation_by(14 + 21 * (held // 2), "midtvejs", "mentee", consent)
    if scenario == "over_slutdato" and consent:
        plan.evaluation_by(14 + 21 * 4, "midtvejs", "mentor", consent)
    if scenario == "afsluttet":
        plan.evaluation_by(weeks * 7 - 7, "afslutning", "mentee", consent)
        plan.evaluation_by(weeks * 7 - 6, "afslutning", "mentor", "ja")


def municipality_plan(catalogue: Any, today: dt.date, seed: int) -> list[DemoPairing]:
    """The 24 pairings and their records (pure: nothing is written)."""
    rng = random.Random(seed * 31 + 24)
    names = rng.sample([f"{f} {s}" for f in _FIRST for s in _LAST], 2 * len(PLAN))
    out = []
    numbers: dict[str, int] = {}
    for i, (dept, days, scenario, consent, weeks) in enumerate(PLAN):
        numbers[dept] = numbers.get(dept, 0) + 1
        start = today - dt.timedelta(days=days)
        end = start + dt.timedelta(weeks=weeks)
        plan = _Town(catalogue, rng, start, end, today)
        _build(plan, scenario, days, consent, weeks)
        pairing = Pairing(f"{dept}-{numbers[dept]:02d}", names[2 * i], names[2 * i + 1],
                          DEPARTMENTS[dept], start.isoformat(), end.isoformat())
        out.append(DemoPairing(pairing, scenario, tuple(plan.entries)))
    return out


def import_plan(store: Any, catalogue: Any, plan: list[DemoPairing], ids: random.Random,
                keep: str | None = None) -> None:
    """Write ``plan``'s pairings and records into ``store`` through its import path: each
    record with its earlier versions, its own (past) times and its template version. The
    pairing ``keep`` is already in the store (its details are updated)."""
    for item in plan:
        if item.pairing.id == keep:
            store.update_pairing(item.pairing)
        else:
            first = min((e.history[0][0] for e in item.entries), default="")
            store.import_pairing(dataclasses.replace(item.pairing, created=first or (
                f"{item.pairing.start_date}T08:00:00.000+00:00")))
        for entry in item.entries:
            _import_entry(store, catalogue, item.pairing.id, entry, ids)


def _import_entry(store: Any, catalogue: Any, pairing: str, entry: Entry,
                  ids: random.Random) -> None:
    template = catalogue.get(entry.template_id)
    for _, values in entry.history:
        wrong = problems(template, values, final=True)
        if wrong:  # a template changed under the demo data: a bug, fail loudly
            raise ValueError(f"demo {entry.template_id} is invalid: {wrong}")
    record_id = f"{ids.getrandbits(128):032x}"
    versions = [RecordVersion(record_id, n, dict(values), "final", template.version, saved)
                for n, (saved, values) in enumerate(entry.history, start=1)]
    record = Record(pairing, template.id, template.version, entry.author_role, template.level,
                    dict(entry.values), status="final", id=record_id,
                    created=versions[0].saved, updated=versions[-1].saved,
                    version=len(versions))
    store.import_record(record, versions, [(template.id, template.version, template.to_json())])


def _shared_at(item: DemoPairing, today: dt.date, rng: random.Random) -> dt.datetime:
    """A day or two after the pairing's last record (never today or later), mid-day UTC."""
    stamps = [e.saved for e in item.entries] or [f"{item.pairing.start_date}T09:00:00+00:00"]
    last = dt.datetime.fromisoformat(max(stamps)).date()
    day = min(last + dt.timedelta(days=rng.randint(1, 3)), today - dt.timedelta(days=1))
    return dt.datetime(day.year, day.month, day.day, rng.randint(8, 14), rng.randint(0, 59),
                       tzinfo=dt.timezone.utc)


def create_municipality(root: str | Path, catalogue: Any, today: dt.date,
                        seed: int) -> Municipality:
    """Make the municipality's three folders inside ``root`` (see the module docs)."""
    from .sharing import share_summary
    from .store import Store
    from .workspace import ALERT_DEFAULTS, init_workspace

    root = Path(root)
    plan = municipality_plan(catalogue, today, seed)
    folder = root / SHARED
    folder.mkdir(parents=True, exist_ok=True)
    (root / PAIRS).mkdir()
    (root / PAIRS).chmod(0o700)  # as init_workspace makes it: notes about citizens
    with Store.open(root / PAIRS / "nysoc.db", create=True) as store, store.transaction():
        import_plan(store, catalogue, plan, random.Random(seed + 1))
    pairs = init_workspace(root / PAIRS, "mentor", pairing=plan[0].pairing.id,
                           share_folder=f"../{SHARED}")
    rng = random.Random(seed + 2)
    files = []
    for n, item in enumerate(plan):
        role = ("kontaktperson" if item.phase == "introduktion"
                else ("mentor", "mentee")[n % 2])
        ws = dataclasses.replace(pairs, pairing=item.pairing.id, role=role)
        files.append(share_summary(ws, now=_shared_at(item, today, rng)))
    coordinator = init_workspace(root / COORDINATOR, "koordinator",
                                 share_folder=f"../{SHARED}", alerts=ALERT_DEFAULTS)
    return Municipality(pairs, coordinator, folder, tuple(plan), tuple(files))
