"""Sheet Toelichting: what the review workbook is, how to read it, and which inputs made it."""

from __future__ import annotations

from dataclasses import dataclass, field

from tariefmodel._version import __version__
from tariefmodel.data.fileio import sha256_of
from tariefmodel.data.region import Region
from tariefmodel.outputs.workbooks import review_products, xlsx

SHEET = "Toelichting"

TEXT = [
    ("Tabbladen", ""),
    ("Tarieven", "Elk tarief (product x variant): een formule op de opbouw in Producten, ook in eurocent (iJw/iWmo)."),
    ("Producten", "Per tarief de opbouw: personeelsmix, directe personeelskosten per eenheid, cliëntgebonden kosten, "
                  "overhead, no-show, winst en risico, afronding."),
    ("Functieprofielen", "Kosten per productief uur per CAO x functieprofiel x productiviteitsnorm x ORT: salaris, "
                         "toeslagen, loonkosten, werkgeverslasten, productieve uren."),
    ("CAO", "De CAO-regels op de peildatum en per functieprofiel de schaal, treden, gewichten en bedragen, met de "
            "salaristabel waaruit elk bedrag komt."),
    ("Parameters", "Elke parameter van het tariefjaar met bron, datum, afweging, besluit en status."),
    ("", ""),
    ("Zo leest u de werkmap", ""),
    ("Formules", "Alle bedragen zijn formules. Parameters en CAO-cijfers hebben een naam (bijvoorbeeld overhead_rate, "
                 "no_show_rate, profit_risk_rate, charge_pensioen_rate, norm_ambulant_ziekte, client_reistijd_ambulant, "
                 "cao_jeugdzorg_holiday_rate); de formules gebruiken die namen."),
    ("Gele cellen", "Invoer: parameters, CAO-cijfers en productgegevens. Wijzig er een en Excel of LibreOffice rekent "
                    "elk tarief dat ervan afhangt opnieuw uit. Wijzigingen hier veranderen het model niet: daarvoor "
                    "dient tariefmodel export parameters / import parameters."),
    ("Afronding", "Alleen waar tariefmodel afrondt: het tarief (ROUND, halverwege van nul af) en bij minuutproducten "
                  "volgens de gekozen minuutmethode; de kosten per productief uur alleen als "
                  "cost_per_hour_decimals is ingevuld."),
    ("Opgeslagen waarden", "Elke formule bevat ook de waarde die tariefmodel exact berekende; een viewer die niet "
                           "herrekent toont die. Excel rekent met 15 significante cijfers, tariefmodel exact: de "
                           "tarieven zijn gelijk tot op de cent."),
]


def write(book: xlsx.Book, region: Region, year: int, result: ReviewResult) -> None:
    sh = book.sheet(SHEET)
    ws = sh.ws
    sh.widths({0: (60, 60), 1: (100, 100)})
    sh.print_setup(header_rows=0)
    bold = book.fmt(bold=True)
    title = book.fmt(bold=True, font_size=14)
    wrap = book.fmt(text_wrap=True, valign="top")
    top = book.fmt(valign="top", bold=True)
    sh.text(0, 0, f"Reviewwerkmap tarieven {year}: {region.info.name}", title, track=False)
    sh.text(1, 0, f"Gemaakt met tariefmodel {__version__}. Dezelfde invoer geeft exact hetzelfde bestand.", track=False)
    text = f"{result.tariffs} tarieven met kostprijsopbouw in deze werkmap."
    if result.without_buildup:
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(result.without_buildup.items()))
        text += f" Niet opgenomen, want zonder kostprijsopbouw van dit jaar: {kinds}."
    sh.text(2, 0, text, track=False)
    r = 3
    if result.skipped:
        sh.text(r, 0, f"{len(result.skipped)} tarieven niet opgenomen: hun opbouw in formules wijkt af van de engine "
                      "(zie onderaan Tarieven).", book.fmt(bold=True, font_color="#C00000"), track=False)
        r += 1
    r += 1
    for label, text in TEXT:
        if label and not text:
            sh.text(r, 0, label, bold, track=False)
        elif label:
            sh.text(r, 0, label, top, track=False)
            sh.text(r, 1, text, wrap, track=False)
        r += 1
    # The input hashes are for verify and the curious, not for paper: below the printed area.
    sh.text(r, 0, f"De SHA-256 van de {len(region.files)} invoerbestanden staan hieronder (niet afgedrukt) en op het "
                  "blad Manifest; controleer de werkmap met tariefmodel verify.", track=False)
    ws.print_area(0, 0, r, 1)
    r += 2
    sh.text(r, 0, "Invoerbestand", bold, track=False)
    sh.text(r, 1, "SHA-256", bold, track=False)
    r += 1
    for f in region.files:
        sh.text(r, 0, f, track=False)
        sh.text(r, 1, sha256_of(region.root / f), track=False)
        r += 1
    ws.hide_gridlines(2)


@dataclass
class ReviewResult:
    year: int
    tariffs: int  # tariffs with a build-up in the workbook
    without_buildup: dict[str, int]  # per kind, tariffs of the book without a cost build-up of this year
    skipped: list[review_products.Skipped] = field(default_factory=list)
