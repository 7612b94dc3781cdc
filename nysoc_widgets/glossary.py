"""The project's words: English names in code, the Danish word users read.

One place for the closed vocabularies the templates, records and store share
(roles, confidentiality levels, phases, record statuses). See DESIGN.md's glossary.
"""

from __future__ import annotations

__all__ = [
    "ROLES",
    "CONFIDENTIALITY",
    "PHASES",
    "STATUSES",
    "GLOSSARY",
]

#: Who uses the toolkit; the values are also the workspace roles of ``nysoc init --role``.
ROLES: dict[str, str] = {
    "mentor": "mentor",
    "mentee": "mentee (ny socialrådgiver)",
    "koordinator": "tovholder / koordinator",
    "kontaktperson": "kontaktperson",
}

#: Confidentiality levels, narrowest first (DESIGN.md, "Confidentiality is the product").
CONFIDENTIALITY: dict[str, str] = {
    "privat": "Privat – kun dig selv",
    "par": "Fortroligt – kun mentor og mentee",
    "deles": "Deles med tovholderen",
}

#: The programme's phases, in order; ``introduktion`` comes before mentoring begins.
PHASES: dict[str, str] = {
    "introduktion": "Introduktion",
    "forberedelse": "Forberedelse",
    "opstart": "Opstart",
    "laering": "Læring",
    "afslutning": "Afslutning",
}

#: A record's status: a draft may be incomplete; a final record passed validation.
STATUSES: dict[str, str] = {
    "draft": "kladde",
    "final": "endelig",
}

#: English code word → Danish user word, for names that are not a closed vocabulary.
GLOSSARY: dict[str, str] = {
    "Pairing": "mentorpar",
    "Meeting": "mentormøde",
    "LogbookEntry": "logbogsnotat",
    "CaseAnalysis": "sags- og episodeanalyse",
    "CoachingSession": "coachingsamtale",
    "Agreement": "samarbejdsaftale",
    "ProcessJournal": "procesjournal",
    "Evaluation": "evaluering",
    "LearningGoal": "læringsmål",
    "Phase": "fase",
    "Template": "skabelon",
    "Record": "notat",
    "Workspace": "arbejdsområde",
    "Store": "database",
    "Draft": "kladde",
}

