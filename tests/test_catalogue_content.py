"""The built-in template catalogue carries the seeds' content, in Danish with English beside it.

Each file in ``nysoc_widgets/catalogue/`` is loaded with the strict parser and checked against
the two KL/DS publications (``seeds/``): the questions and lists are there, word for word, the
linked steps point at the right earlier fields, and nothing a coordinator may see is free text.
``choices_from`` is resolved by the catalogue loader, not here, so a field that borrows its
choices has none of its own in these tests.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from nysoc_widgets.fields import Field, Text
from nysoc_widgets.templates import Template, load_template

CATALOGUE = Path(__file__).resolve().parents[1] / "nysoc_widgets" / "catalogue"

MENTOR = "KL og Dansk Socialrådgiverforening: Mentorordning for nye socialrådgivere i kommunen"
VELKOMMEN = ("KL og Dansk Socialrådgiverforening: Velkommen til den nye socialrådgiver i "
             "kommunen")

# id: (kind, roles, phase, template confidentiality)
EXPECTED = {
    "forberedelse_mentor": ("form", ("mentor",), "forberedelse", "privat"),
    "forberedelse_mentee": ("form", ("mentee",), "forberedelse", "privat"),
    "samarbejdsaftale": ("form", ("mentor", "mentee"), "opstart", "par"),
    "laeringsmaal": ("form", ("mentor", "mentee"), "laering", "par"),
    "mentormoede": ("form", ("mentor", "mentee"), "laering", "par"),
    "logbog": ("form", ("mentee",), "laering", "privat"),
    "procesjournal": ("form", ("mentee",), "laering", "par"),
    "sagsanalyse": ("form", ("mentor", "mentee"), "laering", "par"),
    "coaching": ("form", ("mentor",), "laering", "par"),
    "evaluering": ("form", ("mentor", "mentee"), "afslutning", "par"),
    "introduktion_tjekliste": ("form", ("kontaktperson",), "introduktion", "par"),
    "statusmoede": ("form", ("kontaktperson",), "introduktion", "par"),
    "gode_raad": ("card", ("mentee",), "introduktion", None),
    "mentorroller": ("card", ("mentor", "mentee"), "opstart", None),
    "praksisbehov": ("card", ("kontaktperson", "mentee"), "introduktion", None),
    "godt_nok": ("card", ("mentee",), "introduktion", None),
}
FORMS = sorted(t for t, (kind, *_rest) in EXPECTED.items() if kind == "form")

#: Field kinds whose answers are text the users write themselves.
TEXT_KINDS = {"short_text", "long_text", "list", "pick"}

MENTOR_ROLES = [
    ("socialfaglig_vejleder", "Socialfaglig vejleder", "Kobler teori med praksis."),
    ("coach", "Coach", "Stiller spørgsmål, som giver nye indsigter."),
    ("raadgiver", "Rådgiver", "Giver gode råd og handleforslag."),
    ("videndeler", "Videndeler", "Deler ud af sin professionelle viden efter behov."),
    ("historiefortaeller", "Historiefortæller", "Fortæller egne historier til inspiration."),
    ("sparringspartner", "Sparringspartner", "Diskuterer med og udfordrer mentee."),
    ("kritiker", "Kritiker", "Giver konstruktiv kritik og feedback."),
    ("netvaerker", "Netværker", "Støtter mentees udvikling og brug af netværk."),
    ("doeraabner", "Døråbner", "Åbner døre og giver referencer."),
    ("sponsor", "Sponsor", "Guider mentee i forhold til karrieren."),
    ("ven", "Ven", "Opmuntrer og støtter mentee."),
]


@cache
def template(template_id: str) -> Template:
    return load_template(CATALOGUE / f"{template_id}.toml")


def labels(fields: tuple[Field, ...] | list[Field]) -> list[str]:
    return [f.label.da for f in fields]


def section(tpl: Template, section_id: str):
    matches = [s for s in tpl.sections if s.id == section_id]
    assert matches, f"{tpl.id} has no section {section_id!r}: {[s.id for s in tpl.sections]}"
    return matches[0]


def all_texts(tpl: Template) -> list[tuple[str, Text]]:
    """Every user-facing text of a template, with where it is."""
    out: list[tuple[str, Text]] = [("title", tpl.title)]
    if tpl.intro:
        out.append(("intro", tpl.intro))
    for s in tpl.sections:
        out.append((f"{s.id}.title", s.title))
        if s.intro:
            out.append((f"{s.id}.intro", s.intro))
        for i, item in enumerate(s.items):
            out.append((f"{s.id}.items[{i}].text", item.text))
            if item.title:
                out.append((f"{s.id}.items[{i}].title", item.title))
        for f in s.fields:
            out.append((f"{f.id}.label", f.label))
            for key in ("help", "low", "high"):
                value = getattr(f, key)
                if value:
                    out.append((f"{f.id}.{key}", value))
            for c in f.choices:
                out.append((f"{f.id}.choices.{c.id}", c.label))
                if c.help:
                    out.append((f"{f.id}.choices.{c.id}.help", c.help))
    return out


# --------------------------------------------------------------------------- every template

def test_catalogue_holds_every_expected_template():
    files = {p.stem for p in CATALOGUE.glob("*.toml")}
    missing = sorted(set(EXPECTED) - files)
    assert not missing, f"missing from the catalogue: {missing}"


@pytest.mark.parametrize("template_id", sorted(EXPECTED))
def test_template_loads_with_its_metadata(template_id):
    tpl = template(template_id)
    kind, roles, phase, level = EXPECTED[template_id]
    assert tpl.id == template_id, "file name must be <id>.toml"
    assert tpl.schema_version == 1
    assert tpl.version >= 1
    assert tpl.kind == kind
    assert tpl.roles == roles
    assert tpl.phase == phase
    if level is not None:
        assert tpl.confidentiality == level
        assert tpl.level == level, "the record's narrowest level is the template's level"


@pytest.mark.parametrize("template_id", sorted(EXPECTED))
def test_template_cites_a_kl_ds_publication(template_id):
    source = template(template_id).source
    assert MENTOR in source or VELKOMMEN in source, source
    assert "afsnit" in source, "the source names the section it comes from"


@pytest.mark.parametrize("template_id", sorted(EXPECTED))
def test_every_text_has_english_beside_the_danish(template_id):
    texts = all_texts(template(template_id))
    assert len(texts) > 3
    missing = [where for where, text in texts if not text.da.strip() or not text.en.strip()]
    assert not missing, f"{template_id}: no English (or no Danish) for {missing}"
    same = [where for where, text in texts
            if text.da == text.en and text.da not in {"Coach", "Sponsor", "Feedback",
                                                      "Passwords", "4. Feedback", "Status"}]
    assert not same, f"{template_id}: English is just the Danish copied: {same}"


@pytest.mark.parametrize("template_id", FORMS)
def test_no_free_text_is_shared_with_the_coordinator(template_id):
    tpl = template(template_id)
    leaks = []
    for f in tpl.fields:
        if f.confidentiality != "deles":
            continue
        if f.kind in TEXT_KINDS or (f.kind == "per_item" and f.entry in TEXT_KINDS):
            leaks.append(f"{f.id} ({f.kind})")
    assert not leaks, f"{template_id}: free text marked deles: {leaks}"


@pytest.mark.parametrize("template_id", ["forberedelse_mentor", "forberedelse_mentee", "logbog"])
def test_private_forms_keep_every_field_private(template_id):
    tpl = template(template_id)
    assert {f.confidentiality for f in tpl.fields} == {"privat"}


@pytest.mark.parametrize("template_id", sorted(t for t in EXPECTED if EXPECTED[t][0] == "card"))
def test_cards_have_items_not_fields(template_id):
    tpl = template(template_id)
    assert not tpl.fields
    assert all(s.items for s in tpl.sections)


# --------------------------------------------------------------------------- forberedelse

@pytest.mark.parametrize(
    ("template_id", "count", "first", "last"),
    [
        pytest.param("forberedelse_mentor", 9,
                     "Hvilke kompetencer har jeg i forhold til rollen som mentor?",
                     "Hvilke forventninger har min ledelse og mine kolleger til mig?",
                     id="mentor-9"),
        pytest.param("forberedelse_mentee", 4,
                     "Hvilke konkrete og langsigtede mål ønsker jeg at opnå gennem "
                     "mentorordningen?",
                     "Hvad, synes jeg, bør kendetegne en god mentee – og en god mentor?",
                     id="mentee-4"),
    ],
)
def test_preparation_questions(template_id, count, first, last):
    tpl = template(template_id)
    questions = [f for f in tpl.fields if f.kind == "long_text"]
    assert len(questions) == count == len(tpl.fields)
    assert questions[0].label.da == first
    assert questions[-1].label.da == last


def test_mentor_preparation_has_the_seed_questions_word_for_word():
    assert labels(template("forberedelse_mentor").fields)[1:8] == [
        "Hvad kan jeg tilbyde en mentee, fagligt og personligt?",
        "Hvad motiverer mig til at tage mentorrollen?",
        "Hvilke forventninger har jeg til eget udbytte og egen læring?",
        "Hvilke muligheder har jeg for tidsmæssig prioritering af mentorrollen?",
        "Hvilke udfordringer og læringsbehov har en nyuddannet socialrådgiver typisk?",
        "Hvad, synes jeg, bør kendetegne en god mentor?",
        "Hvilke forventninger har jeg til mentee?",
    ]


# --------------------------------------------------------------------------- samarbejdsaftale

def test_agreement_sections_follow_the_expectation_alignment():
    tpl = template("samarbejdsaftale")
    assert [s.id for s in tpl.sections] == ["rammer", "spilleregler", "laeringsbehov",
                                            "moedeplan", "bekraeftelse"]
    assert tpl.confirmations == ("bekraeftet_mentor", "bekraeftet_mentee")
    rules = tpl.field("spilleregler")
    assert rules.kind == "checklist"
    assert [c.label.da for c in rules.choices] == [
        "Åbenhed", "Fortrolighed", "Ansvarlighed", "Velforberedthed", "Feedback"]
    assert tpl.field("andre_spilleregler").kind == "list"
    assert tpl.field("uforstyrrethed").kind == "long_text"
    assert tpl.field("lokale").kind == "short_text"
    roles = tpl.field("mentors_rolle")
    assert roles.kind == "multi_choice" and roles.choices_from == "mentormoede.mentors_roller"


def test_agreement_shares_only_dates_and_the_number_of_meetings():
    tpl = template("samarbejdsaftale")
    meetings = tpl.field("antal_moeder")
    assert meetings.kind == "number" and meetings.integer and meetings.min == 1
    shared = {f.id: f.kind for f in tpl.fields if f.confidentiality == "deles"}
    assert shared == {"antal_moeder": "number", "startdato": "date", "slutdato": "date",
                      "naeste_moede": "date", "moedet_efter": "date",
                      "moedet_efter_det": "date"}
    planned = section(tpl, "moedeplan")
    assert labels(planned.fields) == ["Næste møde", "Mødet efter", "Og mødet efter det"]
    assert "2-3 møder frem" in planned.intro.da and "brandslukning" in planned.intro.da


# --------------------------------------------------------------------------- læringsmål

def test_learning_goals_have_the_19_examples():
    goals = template("laeringsmaal").field("eksempler")
    names = [c.label.da for c in goals.choices]
    assert goals.kind == "multi_choice"
    assert len(names) == len(set(names)) == 19
    assert names[0] == "Arbejdstilrettelæggelse"
    assert names[-1] == "Vidensbasering og inddragelse af viden i opgaveløsningen"
    assert "Praksischok" in names
    assert "\u2018Skurkerollen\u2019, når man skal lukke for kassen/give afslag" in names
    assert "Håndtering af krydspres med modsatrettede forventninger" in names
    assert not any(n.lower().startswith("osv") for n in names), "'Osv.' is not a goal"


def test_learning_goals_clarifying_questions_and_status():
    tpl = template("laeringsmaal")
    assert labels(section(tpl, "afklaring").fields) == [
        "Hvad vil du gerne blive bedre til?",
        "Hvad vil du gerne kunne?",
        "Hvad synes du er særligt vanskeligt?",
        "Hvad er du mest i tvivl om?",
    ]
    assert {f.confidentiality for f in section(tpl, "afklaring").fields} == {"par"}
    status = tpl.field("maal_status")
    assert status.kind == "per_item"
    assert status.source == ("eksempler", "egne")
    assert status.entry == "single_choice"
    assert [(c.id, c.label.da) for c in status.choices] == [
        ("ikke_startet", "Ikke startet"), ("i_gang", "I gang"), ("naaet", "Nået")]
    assert tpl.field("egne").kind == "list"
    for field_id in ("eksempler", "maal_status"):
        assert tpl.field(field_id).confidentiality == "deles", field_id
    assert tpl.field("egne").confidentiality == "par", "own goals are the pair's own words"


# --------------------------------------------------------------------------- mentormøde

def test_meeting_follows_the_five_point_agenda():
    tpl = template("mentormoede")
    agenda = [s for s in tpl.sections if s.title.da[:1].isdigit()]
    assert [s.title.da for s in agenda] == [
        "1. Det, der fylder lige nu",
        "2. Dialog om planlagt tema",
        "3. Opsamling",
        "4. Feedback",
        "5. Næste møde",
    ]
    assert "Hvordan har mentee det?" in tpl.field("det_der_fylder").help.da
    assert tpl.field("konkret_laeringsmaal").label.da == "Konkret læringsmål"
    assert labels(section(tpl, "opsamling").fields) == [
        "Hvad har mentee særligt hæftet sig ved under samtalen, hvad har især været nyttigt?"]
    assert labels(section(tpl, "feedback").fields) == [
        "Hvordan er samtalen forløbet?",
        "Hvad har især fungeret godt?",
        "Er der noget, der kan fungere bedre?",
    ]
    assert labels(section(tpl, "naeste_moede").fields)[:2] == [
        "Aftale om næste mødes tema (læringsmål)", "Evt. aftale om forberedelse"]


def test_meeting_shares_only_its_dates():
    tpl = template("mentormoede")
    assert tpl.field("dato").required
    shared = {f.id: f.kind for f in tpl.fields if f.confidentiality == "deles"}
    assert shared == {"dato": "date", "naeste_dato": "date"}


def test_meeting_offers_the_eleven_mentor_roles():
    roles = template("mentormoede").field("mentors_roller")
    assert roles.kind == "multi_choice"
    assert [(c.id, c.label.da, c.help.da) for c in roles.choices] == MENTOR_ROLES


def test_mentor_roles_card_matches_the_meeting_choices():
    card = template("mentorroller")
    items = [item for s in card.sections for item in s.items]
    choices = template("mentormoede").field("mentors_roller").choices
    assert len(items) == 11
    assert [(i.title, i.text) for i in items] == [(c.label, c.help) for c in choices]
    assert "modsvarer de mange forskellige metoder" in card.intro.da


# --------------------------------------------------------------------------- logbog

def test_logbook_prompts_and_purposes():
    tpl = template("logbog")
    assert labels(section(tpl, "refleksion").fields) == [
        "Det, jeg er i tvivl om",
        "Det nye, jeg har lært",
        "Det, jeg vil huske",
        "Det, jeg kunne tænke mig at gøre noget ved",
        "Det, som jeg har behov for at vide mere om",
    ]
    assert all(f.kind == "long_text" for f in section(tpl, "refleksion").fields)
    for purpose in ("At reflektere aktivt og selvstændigt", "At tage stilling og tage ved lære",
                    "At skabe mening og forståelse", "At få nye tanker og ideer",
                    "At huske det, der er vigtigst", "verden på nye måder"):
        assert purpose in tpl.intro.da, purpose


def test_logbook_requires_only_the_date_and_borrows_the_learning_goals():
    tpl = template("logbog")
    assert [f.id for f in tpl.fields if f.required] == ["dato"]
    assert tpl.field("dato").kind == "date"
    goals = tpl.field("laeringsmaal")
    assert goals.kind == "multi_choice"
    assert goals.choices_from == "laeringsmaal.eksempler"
    assert goals.label.da == "Hvilke læringsmål handler det om?"
    bring = tpl.field("tage_op")
    assert bring.label.da == "Vil du tage det op på næste mentormøde?"
    assert "ja" in {c.id for c in bring.choices}


# --------------------------------------------------------------------------- procesjournal

def test_process_journal_is_anonymised_and_never_case_handling():
    tpl = template("procesjournal")
    assert "kan ikke bruges i formel sagsbehandling" in tpl.intro.da
    assert "anonymiseret" in tpl.intro.da.lower()
    assert "Aalborg Universitets Praktikhåndbog for socialrådgiveruddannelsen" in tpl.source
    assert "At gøre sig sine arbejdsmetoder bevidst" in tpl.intro.da
    assert "mimik og tonefald" in tpl.field("referat").help.da
    assert tpl.field("citater").kind == "list"
    assert tpl.field("tanker_og_foelelser").label.da == (
        "Socialrådgiverens egne tanker og følelser under samtalen/kontakten")
    assert tpl.field("refleksioner").label.da == (
        "Socialrådgiverens refleksioner efter samtalen/kontakten")
    assert {f.confidentiality for f in tpl.fields} == {"par"}


# --------------------------------------------------------------------------- sagsanalyse

def test_case_analysis_has_five_linked_steps():
    tpl = template("sagsanalyse")
    steps = [s for s in tpl.sections if s.id.startswith("trin_")]
    assert [s.title.da for s in steps] == [
        "1. Hvad ved vi?",
        "2. Hvilke hypoteser har vi?",
        "3. Hvilke hypoteser er p.t. mest sandsynlige?",
        "4. Hvilken overordnet handleretning peger hypoteserne på?",
        "5. Hvilke konkrete tiltag kan sættes i værk?",
    ]
    assert [[f.id for f in s.fields] for s in steps] == [
        ["fakta"], ["hypoteser"], ["sandsynlige"], ["handleretninger"],
        ["tiltag", "tiltag_fakta"]]
    assert [tpl.field(i).kind for i in ("fakta", "hypoteser", "sandsynlige", "handleretninger",
                                        "tiltag")] == ["list", "list", "pick", "list",
                                                       "per_item"]
    assert tpl.field("sandsynlige").source == ("hypoteser",)
    tiltag = tpl.field("tiltag")
    assert tiltag.source == ("handleretninger",) and tiltag.entry == "list"
    grounded = tpl.field("tiltag_fakta")
    assert (grounded.kind, grounded.source, grounded.entry, grounded.entry_source) == (
        "per_item", ("handleretninger",), "pick", "fakta")
    assert grounded.label.da == "Hvilke fakta bygger tiltagene på?"
    assert "med afsæt i det vi ved (pkt. 1)" in grounded.help.da.lower()
    assert grounded.confidentiality == "par" and tpl.version == 1
    assert "objektive kilder" in tpl.field("fakta").help.da
    assert "ikke konkrete handlinger" in tpl.field("handleretninger").help.da
    assert "Gitte Duus: Sags- og episodeanalyse, Akademisk Forlag, 2013" in tpl.source


# --------------------------------------------------------------------------- coaching

def test_coaching_has_four_phases_with_their_questions():
    tpl = template("coaching")
    phases = [s for s in tpl.sections if s.title.da[:1].isdigit()]
    assert [s.title.da for s in phases] == [
        "1. Afgrænsning og afdækning af problem",
        "2. Udforskning af relationer og sammenhænge",
        "3. Nye ideer og muligheder",
        "4. Målsætning, planlægning og handling",
    ]
    assert [s.intro.da for s in phases] == [
        "Afdækkende spørgsmål", "Udforskende spørgsmål", "Idégenererende spørgsmål",
        "Handlingsskabende spørgsmål"]
    banks = [[f for f in s.fields if f.kind == "multi_choice"] for s in phases]
    assert [len(b) for b in banks] == [1, 1, 1, 1]
    assert [len(b[0].choices) for b in banks] == [4, 4, 4, 5]
    assert [c.id for c in banks[3][0].choices] == ["q1", "q2", "q3", "q4", "q5"]
    assert banks[0][0].choices[0].label.da == "Hvordan viser problemet sig?"
    assert banks[1][0].choices[3].label.da == "Hvad forhindrer dig i at tage problemet op?"
    assert banks[2][0].choices[2].label.da == (
        "Hvis X skulle give dig et uventet godt råd, hvad ville det så gå ud på?")
    assert banks[3][0].choices[4].label.da == (
        "Er der noget, vi har talt om i dag, som du kan bruge i andre sammenhænge?")
    assert all(any(f.kind == "long_text" for f in s.fields) for s in phases)
    assert "Poulsen" in tpl.source and "Wittrock" in tpl.source


def test_coaching_ends_with_a_goal_a_plan_and_a_first_step():
    tpl = template("coaching")
    last = tpl.sections[-1]
    assert last.title.da == "4. Målsætning, planlægning og handling"
    assert [f.id for f in last.fields][-4:] == ["maal", "plan", "foerste_skridt", "laeringsmaal"]
    assert [tpl.field(i).kind for i in ("maal", "plan", "foerste_skridt")] == [
        "long_text", "long_text", "short_text"]
    first_step = tpl.field("foerste_skridt")
    assert first_step.label.da == "Hvad er dit første skridt?"  # the seed's question
    assert first_step.label.da in [c.label.da for c in tpl.field("handlingsskabende").choices]
    goal = tpl.field("laeringsmaal")
    assert goal.kind in ("single_choice", "multi_choice")
    assert goal.choices_from == "laeringsmaal.eksempler" and not goal.required
    assert goal.label.da == "Hører det til et læringsmål?"
    assert {tpl.field(i).confidentiality for i in ("maal", "plan", "foerste_skridt",
                                                   "laeringsmaal")} == {"par"}


# --------------------------------------------------------------------------- evaluering

EVALUATION_ASPECTS = ["indhold", "laeringsmaal", "relevans", "form", "rammer", "metode",
                      "udbytte"]


def test_evaluation_scores_the_seven_aspects():
    tpl = template("evaluering")
    scales = [f for f in tpl.fields if f.kind == "scale"]
    assert [f.id for f in scales] == EVALUATION_ASPECTS
    assert labels(scales) == ["Indhold", "Læringsmål", "Relevans", "Form", "Rammer", "Metode",
                              "Udbytte"]
    assert all(f.low and f.high and f.low.en and f.high.en for f in scales)
    assert {f.confidentiality for f in scales} == {"deles"}


def test_evaluation_shares_scores_only_by_agreement():
    tpl = template("evaluering")
    consent = tpl.field("del_scorer")
    assert consent.kind == "single_choice" and consent.confidentiality == "deles"
    assert [c.id for c in consent.choices] == ["ja", "nej"]
    assert consent.label.da == "Må tovholderen se scorerne?"
    involved = tpl.field("tovholder_inddraget")
    assert involved.kind == "single_choice" and involved.confidentiality == "deles"
    assert "ligeværdige kolleger" in tpl.field("ny_relation").help.da
    assert "MUS-samtale" in tpl.field("kompetenceudvikling").help.da
    comments = [f for f in tpl.fields if f.kind == "long_text"]
    assert comments and {f.confidentiality for f in comments} == {"par"}


def test_evaluation_says_who_fills_it_in_and_which_evaluation_it_is():
    tpl = template("evaluering")
    who = tpl.field("udfyldt_af")
    assert who.kind == "single_choice" and who.confidentiality == "deles", "a fact, not text"
    assert not who.needs_consent
    assert [c.id for c in who.choices] == ["mentee", "mentor"]
    which = tpl.field("evaluering_type")
    assert which.kind == "single_choice" and which.confidentiality == "deles"
    assert [c.id for c in which.choices] == ["midtvejs", "afslutning"]
    assert [c.label.da for c in which.choices] == ["Midtvejsevaluering", "Afslutning"]
    assert not which.needs_consent
    assert tpl.share_consent == "del_scorer" and tpl.version == 2


# --------------------------------------------------------------------------- introduktion

def test_introduction_checklist_questions_and_practice_needs():
    tpl = template("introduktion_tjekliste")
    assert labels(section(tpl, "afklaring").fields) == [
        "Hvem er din kontaktperson, og hvad er kontaktpersonens roller og opgaver?",
        "Hvem kan du stille spørgsmål til, og er der særlige videnspersoner på "
        "arbejdspladsen, som du kan gå til?",
        "Som helt ny ansat kan mange spørgsmål dukke op. Kan du stille dem løbende, eller er "
        "der planlagt nogle statusmøder?",
        "Hvilke emner skal du fortrinsvis drøfte med din leder?",
        "Hvilke arbejdsopgaver har du ansvar for?",
        "Hvilke møder forventes du at deltage i?",
    ]
    needs = [tpl.field(i) for i in ("faglige", "sociale", "organisatoriske", "praktiske")]
    assert all(f.kind == "checklist" and len(f.choices) >= 6 for f in needs)
    assert [c.label.da for c in tpl.field("praktiske").choices] == [
        "Mødetider", "Passwords", "Hvordan man finder rundt", "Telefonoversigter",
        "Kaffeordninger", "Refusioner", "Navne"]
    assert "Relevant lovgivning" in [c.label.da for c in tpl.field("faglige").choices]
    assert "MED-udvalg" in [c.label.da for c in tpl.field("organisatoriske").choices]
    assert tpl.field("videnspersoner").kind == "list"


def test_status_meeting_is_built_from_the_publication():
    tpl = template("statusmoede")
    assert "Velkommen til den nye socialrådgiver i kommunen" in tpl.intro.da
    assert "Dagsorden til statusmøde mellem kontaktperson og den nyuddannede socialrådgiver" \
        in tpl.source
    titles = [s.title.da for s in tpl.sections]
    assert "4. Hvornår er det godt nok?" in titles
    assert "Stil spørgsmål" in section(tpl, "spoergsmaal").intro.da
    assert tpl.field("naeste_dato").kind == "date"
    assert tpl.field("dato").required


# --------------------------------------------------------------------------- cards

def test_ten_pieces_of_advice():
    items = [i for s in template("gode_raad").sections for i in s.items]
    assert [i.title.da for i in items] == [
        "Stil spørgsmål",
        "Vær nysgerrig og åben",
        "Bed om hjælp",
        "Gør dig umage",
        "Bring din viden fra uddannelsen i spil",
        "Prioriter",
        "Skab overblik og systematik",
        "Lær dine kolleger at kende",
        "Hold netværk ved lige og udbyg det",
        "Lær arbejdspladsens regler og systemer at kende",
    ]
    assert "Ingen forventer, at du skal kunne det hele på den halve tid." in items[3].text.da
    assert "\u2019sådan plejer vi at gøre her\u2019" in items[4].text.da


def test_practice_needs_card_has_the_four_kinds():
    items = [i for s in template("praksisbehov").sections for i in s.items]
    assert [i.title.da for i in items] == [
        "Faglige behov", "Sociale behov", "Organisatoriske behov", "Praktiske behov"]
    assert "kaffeordninger" in items[3].text.da
    assert "tillidsrepræsentant" in items[2].text.da


def test_good_enough_card_reassures():
    text = " ".join(i.text.da for s in template("godt_nok").sections for i in s.items)
    assert "\u2019godt nok\u2019" in text
    assert "Spørg, hvis du er i tvivl." in text
    assert "Ja, selvfølgelig!" in text
    assert "Bliver jeg nogensinde en god socialrådgiver?" in " ".join(
        s.title.da for s in template("godt_nok").sections)
