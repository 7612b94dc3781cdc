"""Invented demo data: a mentee's workspace with five pairings at different phases (and,
beside it, the invented municipality of :mod:`.demo_municipality`).

Everything is made up: no real persons, no citizens (only "borgeren", "familien"), no CPR
numbers. The data is deterministic for a given ``today`` and ``seed`` (dates are relative
to ``today``), and every record is final and valid under the built-in templates.

Records are written back in time, through the store's import path
(``Store.import_record``): each record was created on the day its own date field names
(a meeting on its ``dato``, an agreement on its ``startdato``), never "now", and the
demo pairing's learning goals carry a history of saves over the months (statuses moving
from *ikke startet* via *i gang* to *nået*, confirmed by the mentor along the way).
The records are linked as a pair's would be: each meeting names one of the pairing's
learning goals (``konkret_laeringsmaal``), and each logbook entry the meeting it is about
(the next one on or after its day, held or planned) and the goals it touches, the pair's
own among them.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .records import Pairing

__all__ = ["DEMO_SEED", "Entry", "DemoPairing", "DemoResult", "demo_plan", "create_demo"]

DEMO_SEED = 2026
OWN_PAIRING = "demo-boern-familie"


@dataclass(frozen=True)
class Entry:
    """One record to save: its template, who wrote it and the answers.

    ``saved`` is the store time (ISO, UTC) of its last save; ``earlier`` holds the earlier
    saves as ``(time, answers)``, oldest first (the record was created at the first).
    """

    template_id: str
    author_role: str
    values: dict[str, Any]
    saved: str = ""
    earlier: tuple[tuple[str, dict[str, Any]], ...] = ()

    @property
    def history(self) -> list[tuple[str, dict[str, Any]]]:
        """Every save as ``(time, answers)``, oldest first; the last is ``values``."""
        return [*self.earlier, (self.saved, self.values)]


@dataclass(frozen=True)
class DemoPairing:
    """A demo pairing, the phase it has reached and its records (in saving order)."""

    pairing: Pairing
    phase: str
    entries: tuple[Entry, ...] = field(default=())

    @property
    def records(self) -> int:
        return len(self.entries)


@dataclass(frozen=True)
class DemoResult:
    workspace: Any  # workspace.Workspace
    pairings: tuple[DemoPairing, ...]
    #: The invented municipality (``demo_municipality.Municipality``).
    municipality: Any = None


# (theme, learning goal (an example's id or an own goal's title; another of the pairing's
#  goals when it has not this one), what fills, dialogue, summing up, how it went, worked
#  well, could be better, next theme, preparation, roles)
_MEETINGS = [
    ("Arbejdstilrettelæggelse", "arbejdstilrettelaeggelse",
     "Travle første uger; mentee føler sig bagud med journalnotaterne.",
     "Vi gennemgik en typisk uge og så på, hvor tiden går. Mentor fortalte om sin egen måde "
     "at lægge faste skrivetider i kalenderen.",
     "Faste skrivetider, og at sige til i tide, når ugen er fuld.",
     "God og åben samtale; vi brugte lidt for lang tid på første punkt.",
     "At tage udgangspunkt i mentees egen kalender.", "Mere tid til opsamlingen.",
     "Den svære samtale", "Mentee tager et eksempel med fra en samtale, der var svær.",
     ["raadgiver", "historiefortaeller", "ven"]),
    ("Den svære samtale", "den_svaere_samtale",
     "En samtale, hvor en forælder blev vred, fylder stadig. Mentee har sovet dårligt.",
     "Vi gennemgik samtalen trin for trin og talte om at sige bekymringen tydeligt og "
     "tidligt – og om, hvad mentee lagde mærke til hos sig selv undervejs.",
     "Det er ikke et nederlag, at en borger bliver vred. En klar første sætning hjælper.",
     "Rolig og fortrolig.", "Coachende spørgsmål frem for gode råd.",
     "Mentee vil gerne have mere konkret feedback på formuleringer.",
     "Myndighedsrollen", "Mentee genlæser noget om myndighedsrollen fra studiet.",
     ["coach", "sparringspartner", "ven"]),
    ("Myndighedsrollen", "Skrive tydelige afgørelser",
     "Mentee skal for første gang give et afslag og er nervøs for samtalen.",
     "Vi talte om forskellen på at have magt og at bruge den. Mentor fortalte om sin egen "
     "første afgørelse, og vi øvede, hvordan afslaget kan siges med almindelige ord.",
     "Forklar lovgrundlaget enkelt, og gennemgå altid klagemuligheden.",
     "Meget konkret – godt med rollespil.", "Øvelsen med at sige afslaget højt.",
     "Mere tid til at koble til teori.",
     "Tværfaglig koordinering", "Mentee tager en anonymiseret sag med flere samarbejdspartnere.",
     ["socialfaglig_vejleder", "historiefortaeller", "kritiker"]),
    ("Tværfaglig koordinering", "tvaerfaglig_koordinering",
     "Det går bedre med arbejdsbyrden; journalen er ajour.",
     "Vi tegnede op, hvem der er involveret i sagen, og hvem der har ansvaret for hvad. "
     "Mentor foreslog et fælles møde med en klar dagsorden.",
     "At tage initiativ er en del af rollen; en klar dagsorden hjælper alle.",
     "God energi – mentee kom selv med løsninger.", "At tegne aktørerne op.",
     "Intet særligt.", "Sags- og episodeanalyse", "Mentee vælger en episode til analysen.",
     ["netvaerker", "doeraabner", "socialfaglig_vejleder"]),
    ("Sags- og episodeanalyse", "sags_og_episodeanalyse",
     "Mentee har været syg en uge og er lidt bagud.",
     "Vi gik de fem trin igennem med en episode fra mentees praksis: hvad ved vi, hypoteser, "
     "de mest sandsynlige hypoteser, overordnede retninger og konkrete tiltag.",
     "Hypoteserne åbnede for andre forklaringer end den første, mentee havde.",
     "Struktureret og lærerigt.", "Den faste struktur i analysen.",
     "Analysen tog lang tid; næste gang deler vi den over to møder.",
     "Håndtering af stress", "Mentee skriver i logbogen om, hvad der giver og tager energi.",
     ["socialfaglig_vejleder", "coach"]),
    ("Håndtering af stress", "stress",
     "Mentee føler sig mere sikker i rollen, men har mange sager.",
     "Vi talte om tegn på stress, og hvornår man går til sin leder. Mentor delte, hvordan "
     "teamet prioriterer, når der er travlt.",
     "Det er lederens opgave at prioritere; mentees opgave er at sige til i tide.",
     "Ærlig samtale.", "At mentor delte sine egne erfaringer.",
     "Mødet skal ligge tidligere på dagen.",
     "Afslutning og evaluering", "Begge ser tilbage på læringsmålene før afslutningsmødet.",
     ["ven", "raadgiver", "sponsor"]),
]
_MEETING_FIELDS = ("tema", "konkret_laeringsmaal", "det_der_fylder", "dialog", "opsamling",
                   "samtalens_forloeb", "fungeret_godt", "fungere_bedre", "naeste_tema",
                   "forberedelse", "mentors_roller")

# (days after start, unsure about, learnt, remember, do something about, know more about,
#  bring up, learning goals: the pairing's own goals by title, examples by id) – a new social
#  worker's first three months. Each entry is about the next meeting on or after its day.
_LOGBOOK = [
    (4, "Hvornår en sag skal på teammødet, og hvornår jeg selv må beslutte. Jeg spørger hellere "
        "én gang for meget, men kan mærke, at det tager tid fra de andre.",
     "Hvordan en underretning bliver modtaget og visiteret. Den faste rytme gør det lettere at "
     "planlægge ugen.",
     "At det er i orden at sige 'det vender jeg tilbage med' til familien.",
     "Min kalender: møderne ligger helt tæt, og så bliver journalen skrevet om aftenen.",
     "Tidsfristerne for børnefaglige undersøgelser.", "ja",
     ["arbejdstilrettelaeggelse", "praksischok"]),
    (19, "Om jeg var for blød i samtalen med forældrene i går. Jeg sagde, hvad vi var bekymrede "
         "for, men pakkede det ind, og jeg er ikke sikker på, at de hørte det.",
     "At sige bekymringen i én klar sætning først og give plads til reaktionen bagefter.",
     "Tydelighed er også en form for respekt for familien.",
     "Skrive de første to sætninger ned, før en svær samtale.", "", "ja",
     ["Skrive tydelige afgørelser", "den_svaere_samtale", "tydelighed_i_afgoerelser"]),
    (34, "Hvor meget af det, borgeren fortæller, jeg skal tage med hjem. Jeg tænkte på en af "
         "sagerne hele weekenden.",
     "At de erfarne kolleger også har haft det sådan, og at man kan lære at lægge sagerne fra "
     "sig.",
     "En kort liste, før jeg går hjem: hvad venter til i morgen, og hvad er gjort.",
     "Bruge supervisionen, før det bliver for meget.",
     "Hvordan man forebygger at blive slidt af andres belastninger.", "maaske",
     ["Sige til, når sagsmængden bliver for stor", "egne_foelelser", "stress"]),
    (51, "Hvordan jeg forklarer en afgørelse, som familien er uenig i, uden at gå i forsvar.",
     "Forskellen på at være venlig og at være ven. Jeg kan stå ved afgørelsen og samtidig "
     "anerkende, at den er svær for familien.",
     "Lovgrundlaget skal stå med almindelige ord – det er familiens papir, ikke mit.",
     "Øve mig i at gennemgå klagevejledningen mundtligt.", "", "ja",
     ["Skrive tydelige afgørelser", "myndighedsrollen", "tydelighed_i_afgoerelser"]),
    (67, "Hvem der har ansvaret, når skolen, sundhedsplejen og vi alle er bekymrede, men ingen "
         "indkalder til møde.",
     "At jeg godt må tage initiativet, og at en klar dagsorden gør det lettere for alle.",
     "Aftale hvem der gør hvad – og skrive det i referatet med det samme.",
     "Lave en dagsorden til tværfaglige møder, som jeg kan genbruge.",
     "Reglerne for at udveksle oplysninger mellem myndigheder.", "ja",
     ["tvaerfaglig_koordinering", "samarbejdsrelationer"]),
    (86, "Om jeg er klar til at tage de tungere sager alene.",
     "Når jeg læser logbogen igen, kan jeg se, at spørgsmålene fra starten ikke fylder længere. "
     "Jeg planlægger ugen bedre og skriver journal samme dag.",
     "Jeg lærer mest, når jeg tager en konkret sag med til mentormødet.",
     "Lave en sags- og episodeanalyse af en sag, der gik i hårdknude.",
     "Teorier om forandring i familier – jeg vil genlæse noget fra studiet.", "ja",
     ["teori_og_praksis", "sags_og_episodeanalyse"]),
]


class _Plan:
    """Builds the entries of one pairing, with dates relative to its start."""

    def __init__(self, catalogue: Any, rng: random.Random, start: dt.date, end: dt.date,
                 today: dt.date) -> None:
        self.catalogue, self.rng, self.start, self.end = catalogue, rng, start, end
        self.today = today
        self.entries: list[Entry] = []
        self.goal_titles: list[str] = []  # the pairing's learning goals, as offered
        self.meeting_days: list[str] = []  # meetings held, then the next one planned

    def day(self, offset: int, jitter: int = 0) -> str:
        return (self.start + dt.timedelta(days=offset + self.rng.randint(-jitter, jitter))
                ).isoformat()

    def stamp(self, day: str | int) -> str:
        """A store time (UTC, office hours) on ``day`` (ISO, or days after the start);
        never later than yesterday, so nothing is written in the future."""
        date = (self.start + dt.timedelta(days=day) if isinstance(day, int)
                else dt.date.fromisoformat(day))
        date = min(date, self.today - dt.timedelta(days=1))
        return (f"{date.isoformat()}T{self.rng.randint(7, 14):02d}:"
                f"{self.rng.randint(0, 59):02d}:{self.rng.randint(0, 59):02d}.000+00:00")

    def add(self, template_id: str, role: str, when: str | int, **values: Any) -> None:
        self.entries.append(Entry(template_id, role, values, self.stamp(when)))

    def preparation(self) -> None:
        self.add("forberedelse_mentor", "mentor", -12,
                 kompetencer="Mange års erfaring i afdelingen og uddannelse som praktikvejleder.",
                 tilbyde="Sparring på konkrete sager og et roligt rum til at tænke højt.",
                 motivation="Jeg husker selv, hvor meget det betød at have en erfaren kollega.",
                 tid="Halvanden time hver tredje uge; lederen har givet tid til det.",
                 god_mentor="Lytter mere, end hun eller han taler, og er ærlig i sin "
                            "feedback.")
        self.add("forberedelse_mentee", "mentee", -9,
                 maal="At blive sikker i myndighedsrollen og få styr på arbejdsdagen.",
                 problemstillinger="Svære samtaler og at sige nej til borgere.",
                 mod="Ja – men jeg er nervøs for at virke usikker.")

    def agreement(self, meetings: int) -> None:
        self.add("samarbejdsaftale", "mentor", 0, antal_moeder=meetings, varighed=60,
                 lokale="Det lille mødelokale på 2. sal",
                 uforstyrrethed="Telefonerne er slukket, og mødet står som optaget i kalenderen.",
                 startdato=self.day(0), slutdato=self.end.isoformat(),
                 spilleregler=["aabenhed", "fortrolighed", "velforberedthed", "feedback"],
                 andre_spilleregler=["Vi aflyser kun, hvis det er uundgåeligt, og finder en "
                                     "ny dato med det samme."],
                 fortrolighed_aftale="Det, vi taler om, bliver mellem os, også over for "
                                     "lederen. Er noget alvorligt, aftaler vi sammen, hvem "
                                     "der skal inddrages.",
                 formaal="En god start i faget og sikkerhed i myndighedsrollen.",
                 metoder="Dialog efter den faste dagsorden, logbog og sags- og "
                         "episodeanalyse.",
                 mentors_rolle=["socialfaglig_vejleder", "coach", "sparringspartner"],
                 redskaber="Fast dagsorden, logbog og procesjournal.",
                 naeste_moede=self.day(14), moedet_efter=self.day(35),
                 moedet_efter_det=self.day(56), bekraeftet_mentor="ja", bekraeftet_mentee="ja")

    def goals(self, examples: dict[str, str], own: dict[str, str], *, offset: int = 14,
              steps: tuple[tuple[int, dict[str, str], frozenset[str]], ...] = ()) -> None:
        """The learning goals, with their final statuses (``examples`` by choice id,
        ``own`` by text). ``steps`` are earlier saves: ``(days after the start, statuses
        that differ from the final ones, goals the mentor had confirmed)``; the final save
        confirms every goal reached. Without steps the record is saved once, on ``offset``.
        """
        template = self.catalogue.get("laeringsmaal")
        labels = template.field("eksempler")
        final = {labels.choice_label(c): s for c, s in examples.items()} | own
        self.goal_titles = list(final)
        confirms = any(f.id == "maal_bekraeftet" for f in template.fields)
        base = {"blive_bedre_til": "At føre svære samtaler og formidle afgørelser tydeligt.",
                "mest_i_tvivl_om": "Hvor meget jeg selv må beslutte i sagerne.",
                "eksempler": list(examples), "egne": list(own)}

        def answers(status: dict[str, str], confirmed: set[str] | frozenset[str]
                    ) -> dict[str, Any]:
            values = dict(base, maal_status=dict(status))
            if confirms and confirmed:
                values["maal_bekraeftet"] = {g: "ja" for g in status if g in confirmed}
            return values

        def named(goals: dict[str, str]) -> dict[str, str]:  # choice ids → labels
            return {labels.choice_label(g) if g in examples else g: s for g, s in goals.items()}

        earlier = tuple((self.stamp(day), answers(final | named(changes),
                                                  set(named(dict.fromkeys(confirmed, "")))))
                        for day, changes, confirmed in steps)
        # the last save confirms every goal reached, and keeps earlier confirmations of a
        # status that has not changed since
        last = earlier[-1][1] if earlier else {}
        kept = {g for g in last.get("maal_bekraeftet", {})
                if last["maal_status"].get(g) == final.get(g)}
        done = {g for g, s in final.items() if s == "naaet"} | kept
        saved = self.stamp(steps[-1][0] + 21 if steps else offset)
        self.entries.append(Entry("laeringsmaal", "mentor", answers(final, done), saved,
                                  earlier))

    def meetings(self, count: int, every: int = 21) -> None:
        dates = [self.day(14 + every * n, 2) for n in range(count + 1)]
        self.meeting_days = dates
        examples = self.catalogue.get("laeringsmaal").field("eksempler")
        for n in range(count):
            values = dict(zip(_MEETING_FIELDS, _MEETINGS[n % len(_MEETINGS)], strict=True))
            goal = examples.choice_label(values.pop("konkret_laeringsmaal"))
            if goal not in self.goal_titles:  # the goal is one of the pairing's own
                goal = self.goal_titles[n % len(self.goal_titles)] if self.goal_titles else ""
            self.add("mentormoede", "mentor", dates[n], dato=dates[n],
                     naeste_dato=dates[n + 1], konkret_laeringsmaal=goal or None, **values)

    def logbook(self) -> None:
        fields = ("i_tvivl_om", "nyt_laert", "vil_huske", "goere_noget_ved", "vide_mere_om",
                  "tage_op", "laeringsmaal")
        for offset, *texts in _LOGBOOK:
            day = self.day(offset, 1)
            about = next((d for d in self.meeting_days if d >= day), None)  # the next meeting
            self.add("logbog", "mentee", day, dato=day, mentormoede=about,
                     **dict(zip(fields, texts, strict=True)))

    def evaluation(self, offset: int) -> None:
        scores = {k: self.rng.randint(3, 5) for k in
                  ("indhold", "laeringsmaal", "relevans", "form", "rammer", "metode", "udbytte")}
        day = self.day(offset)
        self.add("evaluering", "mentor", day, dato=day, evaluering_type="afslutning",
                 udfyldt_af="mentor", del_scorer="ja", tovholder_inddraget="ja", **scores,
                 kommentarer="Møderne var bedst, når mentee tog en konkret sag med.",
                 ny_relation="Vi er nu kolleger og sparrer fortsat, når det giver mening.",
                 kompetenceudvikling="Kursus i den motiverende samtale tages op til MUS.")


def demo_plan(catalogue: Any, today: dt.date, seed: int = DEMO_SEED) -> list[DemoPairing]:
    """The demo pairings and their records (pure: nothing is written)."""
    rng = random.Random(seed)
    out: list[DemoPairing] = []

    def pairing(pid: str, dept: str, mentor: str, mentee: str, days_ago: int, phase: str,
                build: Any, weeks: int = 36) -> None:
        start = today - dt.timedelta(days=days_ago)
        end = start + dt.timedelta(weeks=weeks)
        plan = _Plan(catalogue, rng, start, end, today)
        build(plan)
        out.append(DemoPairing(Pairing(pid, mentor, mentee, dept, start.isoformat(),
                                       end.isoformat()), phase, tuple(plan.entries)))

    def learning(plan: _Plan) -> None:
        plan.preparation()
        plan.agreement(meetings=8)
        plan.goals({"myndighedsrollen": "naaet", "den_svaere_samtale": "naaet",
                    "arbejdstilrettelaeggelse": "naaet", "egne_foelelser": "i_gang",
                    "tvaerfaglig_koordinering": "i_gang", "sags_og_episodeanalyse":
                    "ikke_startet"},
                   {"Skrive tydelige afgørelser": "i_gang",
                    "Sige til, når sagsmængden bliver for stor": "ikke_startet"},
                   steps=(
                       # after the first meeting: every goal written down, none begun
                       (15, {"myndighedsrollen": "ikke_startet",
                             "den_svaere_samtale": "ikke_startet",
                             "arbejdstilrettelaeggelse": "ikke_startet",
                             "egne_foelelser": "ikke_startet",
                             "tvaerfaglig_koordinering": "ikke_startet",
                             "Skrive tydelige afgørelser": "ikke_startet"}, frozenset()),
                       (36, {"myndighedsrollen": "i_gang", "den_svaere_samtale": "i_gang",
                             "arbejdstilrettelaeggelse": "i_gang",
                             "egne_foelelser": "ikke_startet",
                             "tvaerfaglig_koordinering": "ikke_startet",
                             "Skrive tydelige afgørelser": "ikke_startet"},
                        frozenset({"arbejdstilrettelaeggelse"})),
                       (57, {"myndighedsrollen": "i_gang",
                             "tvaerfaglig_koordinering": "ikke_startet"},
                        frozenset({"arbejdstilrettelaeggelse", "den_svaere_samtale",
                                   "egne_foelelser"})),
                   ))
        plan.meetings(4)
        plan.logbook()

    def prepared(plan: _Plan) -> None:
        plan.preparation()

    def agreed(plan: _Plan) -> None:
        plan.preparation()
        plan.agreement(meetings=6)
        plan.goals({"arbejdstilrettelaeggelse": "ikke_startet", "etiske_dilemmaer":
                    "ikke_startet", "samarbejdsrelationer": "ikke_startet"}, {}, offset=3)

    def stalling(plan: _Plan) -> None:
        agreed(plan)
        plan.meetings(2)

    def closed(plan: _Plan) -> None:
        plan.preparation()
        plan.agreement(meetings=7)
        plan.goals({"myndighedsrollen": "naaet", "krydspres": "naaet", "stress": "naaet",
                    "vidensbasering": "i_gang"}, {"Overblik over egne sager": "naaet"},
                   steps=((15, {"myndighedsrollen": "ikke_startet", "krydspres": "ikke_startet",
                                "stress": "ikke_startet", "vidensbasering": "ikke_startet",
                                "Overblik over egne sager": "ikke_startet"}, frozenset()),
                          (78, {"myndighedsrollen": "naaet", "krydspres": "i_gang",
                                "stress": "i_gang", "vidensbasering": "ikke_startet",
                                "Overblik over egne sager": "i_gang"},
                           frozenset({"myndighedsrollen"}))))
        plan.meetings(7)
        plan.evaluation(offset=14 + 21 * 7)

    pairing(OWN_PAIRING, "Børn og Familie", "Hanne", "Sofie", 92, "laering", learning)
    pairing("demo-jobcenter-ydelse", "Jobcenter – Ydelse", "Per", "Amalie", -7, "forberedelse",
            prepared)
    pairing("demo-voksenhandicap", "Voksenhandicap", "Lone", "Jonas", 10, "opstart", agreed)
    pairing("demo-sygedagpenge", "Jobcenter – Sygedagpenge", "Birgit", "Mikkel", 130,
            "laering", stalling)
    pairing("demo-boern-unge-handicap", "Børn og Unge – Handicap", "Ole", "Fatima", 200,
            "afslutning", closed, weeks=24)
    return out


def create_demo(root: str | Path, *, today: dt.date | None = None,
                seed: int = DEMO_SEED) -> DemoResult:
    """Make a mentee workspace at ``root`` holding the demo pairings and their records,
    and beside them the invented municipality (:mod:`.demo_municipality`): its pairs'
    workspace, their shared summaries (the demo workspace's ``share_folder`` too) and the
    coordinator's workspace."""
    from .catalogue import Catalogue
    from .demo_municipality import SHARED, create_municipality, import_plan
    from .workspace import init_workspace

    catalogue = Catalogue.load()
    today = today or dt.date.today()
    plan = demo_plan(catalogue, today, seed)
    own = plan[0].pairing
    ws = init_workspace(root, "mentee", pairing=own.id, mentor=own.mentor, mentee=own.mentee,
                        department=own.department, start_date=own.start_date,
                        share_folder=SHARED)
    with ws.open_store() as store, store.transaction():
        import_plan(store, catalogue, plan, random.Random(seed), keep=OWN_PAIRING)
    town = create_municipality(ws.root, catalogue, today, seed)
    return DemoResult(ws, tuple(plan), town)
