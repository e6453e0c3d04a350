"""What every figure of the results area counts, in plain Dutch (English in the catalogue).

One entry per indicator (the key of `portal.results.indicators.ALL`): a title, the column labels,
and three sentences: what counts, from which date, what is left out. The page, the definitions
page and the second sheet of every XLSX export all read this one list.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Definition:
    key: str
    title: Any
    counts: Any
    dates: Any
    left_out: Any
    columns: dict[str, Any] = field(default_factory=dict)


GENERAL = [
    _l("Alle cijfers zijn totalen van groepen; er staat nergens een persoon in."),
    _l("Een cel met 1 tot en met 4 personen toont ‘<5’. Kan zo’n cel uit het totaal van de rij of kolom worden "
       "teruggerekend, dan is ook een tweede cel afgeschermd; die toont ‘x’. Dat geldt op de pagina en in elke export."),
    _l("De periode is een kalenderjaar of een kwartaal, in Nederlandse tijd. Het filter ‘gemeente’ kijkt naar de "
       "gemeente van de kandidaat (bij werkgevers: de gemeente van de plek)."),
    _l("Uitsplitsen kan naar gemeente, soort plek, sector of cohort (het kwartaal waarin een kandidaat voor het eerst "
       "werd gepubliceerd). Een tabel die niet naar de gekozen indeling te splitsen is, toont het totaal en zegt dat erbij."),
]

DEFINITIONS = [
    Definition(
        "candidates", _l("Kandidaten"),
        _l("Actief: kandidaten die vóór het einde van de periode zijn ingeschreven en nu niet gepauzeerd zijn. "
           "Gepubliceerd: kandidaten die in de periode voor het eerst zijn gepubliceerd. Met geldige toestemming: "
           "ingeschreven kandidaten met een toestemming die aan het einde van de periode (of nu, als dat eerder is) "
           "gold. Met video: ingeschreven kandidaten met een verwerkte video, klaar vóór het einde van de periode."),
        _l("Inschrijfdatum, datum van de eerste publicatie, datum van de toestemming en van het verwerken van de video."),
        _l("Gewiste kandidaten tellen nergens meer mee. ‘Actief’ kijkt naar de status van nu, niet naar die van toen."),
        {"active": _l("Actief"), "published": _l("Gepubliceerd"), "consent": _l("Met geldige toestemming"),
         "video": _l("Met video")},
    ),
    Definition(
        "funnel", _l("Van publicatie tot werk"),
        _l("Het cohort: kandidaten die in de periode voor het eerst zijn gepubliceerd. Per stap: hoeveel van hen die "
           "stap tot vandaag ooit bereikten. Belangstelling: een werkgever klikte ‘Ik wil kennismaken’. Ontmoet: een "
           "kennismakingsgesprek, speeddate of bedrijfsbezoek met een uitkomst anders dan ‘niet verschenen’, of een "
           "traject dat de fase ‘kennisgemaakt’ bereikte. Voorgedragen: een accountmanager droeg de kandidaat voor. "
           "Gestart: er is een start vastgelegd. Na 3, 6 en 12 maanden (91, 182 en 365 dagen na de eerste start): "
           "van wie die dag al voorbij is, hoeveel toen nog aan het werk of op een plek waren (een start die toen "
           "liep, of eindigde met een contract of verlenging)."),
        _l("De datum van de eerste publicatie bepaalt het cohort; de stappen tellen tot vandaag."),
        _l("Kandidaten die nooit zijn gepubliceerd. Een stap kan ook zonder de vorige (een voordracht zonder "
           "belangstelling), daarom is een percentage geen deel van de vorige stap maar een verhouding."),
        {"published": _l("Gepubliceerd"), "interest": _l("Belangstelling van een werkgever"), "met": _l("Ontmoet"),
         "proposed": _l("Voorgedragen"), "started": _l("Gestart"),
         "measurable_3": _l("Start 3 maanden geleden"), "work_3": _l("Aan het werk na 3 maanden"),
         "measurable_6": _l("Start 6 maanden geleden"), "work_6": _l("Aan het werk na 6 maanden"),
         "measurable_12": _l("Start 12 maanden geleden"), "work_12": _l("Aan het werk na 12 maanden")},
    ),
    Definition(
        "starts", _l("Starts per soort plek"),
        _l("Elke vastgelegde start (werkervaringsplek, taalstage, proefplaatsing, baan, ervaringsplek) waarvan de "
           "startdatum in de periode ligt. Een kandidaat die twee keer start, telt twee keer."),
        _l("De startdatum van de plaatsing (een start op de laatste dag van een kwartaal hoort bij dat kwartaal)."),
        _l("Trajecten die nog niet gestart zijn."),
        {"starts": _l("Starts")},
    ),
    Definition(
        "starts_per_quarter", _l("Starts per kwartaal"),
        _l("Dezelfde starts als hierboven, per kwartaal van het gekozen jaar."),
        _l("De startdatum van de plaatsing."),
        _l("Trajecten die nog niet gestart zijn."),
        {"starts": _l("Starts")},
    ),
    Definition(
        "results", _l("Resultaten aan het einde"),
        _l("Gestarte trajecten die in de periode zijn afgesloten, per soort plek en resultaat: contract, verlenging "
           "van de plek, opleiding, gestopt, of een ander resultaat."),
        _l("De datum waarop het traject werd afgesloten."),
        _l("Trajecten die nog lopen, en trajecten die stopten vóór de start."),
        {"contract": _l("Contract"), "extension": _l("Verlengd"), "education": _l("Opleiding"),
         "stopped": _l("Gestopt"), "other": _l("Ander resultaat"), "__total__": _l("Totaal")},
    ),
    Definition(
        "stop_reasons", _l("Waarom gestopt"),
        _l("Gestarte trajecten die in de periode stopten, per reden uit de vaste lijst."),
        _l("De datum waarop het traject stopte."),
        _l("Trajecten die stopten vóór de start; de toelichting bij een reden (die staat nooit in een cijfer)."),
        {"stopped": _l("Gestopt")},
    ),
    Definition(
        "median_days", _l("Tijd tot de eerste start"),
        _l("De mediaan van het aantal dagen tussen de eerste publicatie en de eerste start, voor kandidaten van wie "
           "de eerste start in de periode ligt. De helft deed er korter over, de helft langer."),
        _l("De datum van de eerste publicatie en de startdatum van de eerste start."),
        _l("Kandidaten die nog niet gestart zijn. Bij minder dan 5 kandidaten staat er geen mediaan."),
        {"candidates": _l("Kandidaten"), "median": _l("Mediaan (dagen)")},
    ),
    Definition(
        "events", _l("Meet-and-greets"),
        _l("Per meet-and-greet in de periode: tafels (bevestigde werkgevers), kandidaten (bevestigde plaatsen), "
           "gehouden speeddates (met een uitkomst anders dan ‘niet verschenen’), vervolgacties (uitkomst ‘interesse’ "
           "of ‘nog een gesprek’) en starts binnen 3 maanden (91 dagen) bij een werkgever die aan tafel zat, van een "
           "kandidaat die er was."),
        _l("De datum van de meet-and-greet; voor starts de startdatum."),
        _l("Concepten en geannuleerde meet-and-greets, geannuleerde aanmeldingen en de wachtlijst. Tafels zijn "
           "organisaties en worden niet afgeschermd."),
        {"tables": _l("Tafels"), "candidates": _l("Kandidaten"), "speed_dates": _l("Speeddates gehouden"),
         "follow_ups": _l("Vervolgacties"), "starts": _l("Starts binnen 3 maanden")},
    ),
    Definition(
        "employers", _l("Werkgevers en plekken"),
        _l("Organisaties actief: goedgekeurde organisaties met een plek die in de periode werd gepubliceerd. "
           "Plekken gepubliceerd: in de periode gepubliceerd. Vervuld: daarvan de plekken met minstens zoveel starts "
           "als plaatsen. Taaleis verlaagd met de hulp: het Nederlands dat de plek vraagt werd in minstens één "
           "vaardigheid lager door het voorstel van de taalhulp (‘Niveaus voorstellen’ of de werksituaties)."),
        _l("De (laatste) publicatiedatum van de plek; voor ‘vervuld’ de starts tot het einde van de periode."),
        _l("Concepten, plekken van organisaties die (nog) niet zijn goedgekeurd. Dit zijn organisaties en plekken, "
           "geen personen: niets wordt afgeschermd."),
        {"organisations": _l("Organisaties actief"), "published": _l("Plekken gepubliceerd"),
         "filled": _l("Plekken vervuld"), "lowered": _l("Taaleis verlaagd met de hulp")},
    ),
    Definition(
        "language", _l("Taal"),
        _l("Van de kandidaten van wie de eerste start in de periode ligt: met een taalmeting (een nazorgcontact waarin het "
           "Nederlands per vaardigheid is vastgelegd), en daarvan wie in minstens één vaardigheid hoger uitkwam dan "
           "bij de intake. Het aandeel is ‘gestegen’ gedeeld door ‘gemeten’."),
        _l("De startdatum; het laatste nazorgcontact met niveaus tot vandaag."),
        _l("Kandidaten zonder taalmeting na de start."),
        {"started": _l("Gestart"), "measured": _l("Met taalmeting"), "rose": _l("Nederlands gestegen")},
    ),
    Definition(
        "gender", _l("Deelname naar gender"),
        _l("Actieve kandidaten, kandidaten die in de periode voor het eerst zijn gepubliceerd en kandidaten van wie "
           "de eerste start in de periode ligt, per gender."),
        _l("Als bij de andere tabellen."),
        _l("Gender wordt alleen in groepen van minstens 5 getoond en nooit gebruikt om te filteren of te sorteren."),
        {"active": _l("Actief"), "published": _l("Gepubliceerd"), "started": _l("Gestart")},
    ),
]

BY_KEY = {d.key: d for d in DEFINITIONS}


def definition(key: str) -> Definition:
    return BY_KEY[key]
