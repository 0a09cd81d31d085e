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
    text = result.summary()
    sh.text(2, 0, text, track=False)
    r = 3
    if result.skipped:
        sh.text(r, 0, f"{len(result.skipped)} tarieven niet opgenomen: hun opbouw in formules wijkt af van de engine of "
                      "ontbreekt (zie onderaan Tarieven).", book.fmt(bold=True, font_color="#C00000"), track=False)
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
    tariffs: int  # tariffs in the workbook
    book: int  # tariffs of the book of the year
    build_year: int  # the year of the build-up blocks (for an indexed contract year its first year)
    built: int = 0  # tariffs in the workbook with a cost build-up (indexed ones included)
    indexed: int = 0  # of those, indexed from the build-up year
    without_buildup: dict[str, int] = field(default_factory=dict)  # per kind (pgb, extern), in the workbook
    skipped: list[review_products.Skipped] = field(default_factory=list)

    def count(self, blocks: list[review_products.Block], skipped: list[review_products.Skipped]) -> None:
        self.tariffs = len(blocks)
        self.skipped = skipped
        for b in blocks:
            t = b.tariff
            # a decided amount (vast bedrag), also indexed: its first year has no build-up
            fixed = getattr(t, "entry", None) is not None or getattr(getattr(t, "base", None), "entry", None) is not None
            kind = "vast" if fixed and t.kind not in ("pgb", "extern") else t.kind
            if kind in ("pgb", "extern", "vast"):
                self.without_buildup[kind] = self.without_buildup.get(kind, 0) + 1
            else:
                self.built += 1
                self.indexed += 1 if t.steps else 0

    def summary(self) -> str:
        """The counts for the reader: every tariff of the book is in the workbook, by kind."""
        every = "alle" if self.tariffs == self.book else f"{self.tariffs} van de"
        text = f"{every} {self.book} tarieven van het tarievenboek {self.year} staan in deze werkmap: " \
               f"{self.built} tarieven met kostprijsopbouw"
        if self.indexed:
            text += f" ({self.indexed} daarvan de opbouw van {self.build_year}, geïndexeerd naar {self.year})"
        if self.without_buildup:
            names = {"pgb": "pgb {n} (een percentage van het basistarief)", "extern": "extern {n} (extern vastgesteld)",
                     "vast": "vast bedrag {n} (besloten, eventueel geïndexeerd)"}
            kinds = sorted(self.without_buildup.items(), key=lambda kn: kn[0] != "pgb")  # pgb first
            text += "; zonder opbouw: " + ", ".join(names.get(k, k + " {n}").format(n=n) for k, n in kinds)
        return text[0].upper() + text[1:] + "."
