package datev

// bookingColumns are the 125 column headings of the Buchungsstapel, data
// category 21, format version 13, in their documented order (DATEV
// developer portal, "DATEV-Format › Buchungsstapel"). The export writes
// all of them; the import finds its columns by heading.
var bookingColumns = [...]string{
	"Umsatz (ohne Soll/Haben-Kz)", "Soll/Haben-Kennzeichen", "WKZ Umsatz", "Kurs",
	"Basis-Umsatz", "WKZ Basis-Umsatz", "Konto", "Gegenkonto (ohne BU-Schlüssel)",
	"BU-Schlüssel", "Belegdatum", "Belegfeld 1", "Belegfeld 2", "Skonto", "Buchungstext",
	"Postensperre", "Diverse Adressnummer", "Geschäftspartnerbank", "Sachverhalt",
	"Zinssperre", "Beleglink",
	"Beleginfo - Art 1", "Beleginfo - Inhalt 1", "Beleginfo - Art 2", "Beleginfo - Inhalt 2",
	"Beleginfo - Art 3", "Beleginfo - Inhalt 3", "Beleginfo - Art 4", "Beleginfo - Inhalt 4",
	"Beleginfo - Art 5", "Beleginfo - Inhalt 5", "Beleginfo - Art 6", "Beleginfo - Inhalt 6",
	"Beleginfo - Art 7", "Beleginfo - Inhalt 7", "Beleginfo - Art 8", "Beleginfo - Inhalt 8",
	"KOST1 - Kostenstelle", "KOST2 - Kostenstelle", "Kost-Menge",
	"EU-Land u. UStID (Bestimmung)", "EU-Steuersatz (Bestimmung)", "Abw. Versteuerungsart",
	"Sachverhalt L+L", "Funktionsergänzung L+L",
	"BU 49 Hauptfunktionstyp", "BU 49 Hauptfunktionsnummer", "BU 49 Funktionsergänzung",
	"Zusatzinformation - Art 1", "Zusatzinformation- Inhalt 1",
	"Zusatzinformation - Art 2", "Zusatzinformation- Inhalt 2",
	"Zusatzinformation - Art 3", "Zusatzinformation- Inhalt 3",
	"Zusatzinformation - Art 4", "Zusatzinformation- Inhalt 4",
	"Zusatzinformation - Art 5", "Zusatzinformation- Inhalt 5",
	"Zusatzinformation - Art 6", "Zusatzinformation- Inhalt 6",
	"Zusatzinformation - Art 7", "Zusatzinformation- Inhalt 7",
	"Zusatzinformation - Art 8", "Zusatzinformation- Inhalt 8",
	"Zusatzinformation - Art 9", "Zusatzinformation- Inhalt 9",
	"Zusatzinformation - Art 10", "Zusatzinformation- Inhalt 10",
	"Zusatzinformation - Art 11", "Zusatzinformation- Inhalt 11",
	"Zusatzinformation - Art 12", "Zusatzinformation- Inhalt 12",
	"Zusatzinformation - Art 13", "Zusatzinformation- Inhalt 13",
	"Zusatzinformation - Art 14", "Zusatzinformation- Inhalt 14",
	"Zusatzinformation - Art 15", "Zusatzinformation- Inhalt 15",
	"Zusatzinformation - Art 16", "Zusatzinformation- Inhalt 16",
	"Zusatzinformation - Art 17", "Zusatzinformation- Inhalt 17",
	"Zusatzinformation - Art 18", "Zusatzinformation- Inhalt 18",
	"Zusatzinformation - Art 19", "Zusatzinformation- Inhalt 19",
	"Zusatzinformation - Art 20", "Zusatzinformation- Inhalt 20",
	"Stück", "Gewicht", "Zahlweise", "Forderungsart", "Veranlagungsjahr",
	"Zugeordnete Fälligkeit", "Skontotyp", "Auftragsnummer", "Buchungstyp",
	"USt-Schlüssel (Anzahlungen)", "EU-Land (Anzahlungen)", "Sachverhalt L+L (Anzahlungen)",
	"EU-Steuersatz (Anzahlungen)", "Erlöskonto (Anzahlungen)", "Herkunft-Kz", "Buchungs GUID",
	"KOST-Datum", "SEPA-Mandatsreferenz", "Skontosperre", "Gesellschaftername",
	"Beteiligtennummer", "Identifikationsnummer", "Zeichnernummer", "Postensperre bis",
	"Bezeichnung SoBil-Sachverhalt", "Kennzeichen SoBil-Buchung", "Festschreibung",
	"Leistungsdatum", "Datum Zuord. Steuerperiode", "Fälligkeit", "Generalumkehr (GU)",
	"Steuersatz", "Land", "Abrechnungsreferenz", "BVV-Position",
	"EU-Land u. UStID (Ursprung)", "EU-Steuersatz (Ursprung)", "Abw. Skontokonto",
}

// Positions (0-based) of the booking columns this package reads and writes.
const (
	colUmsatz      = 0
	colSH          = 1
	colWKZ         = 2
	colKurs        = 3 // see currency.go for fields 1 to 6
	colBasis       = 4
	colWKZBasis    = 5
	colKonto       = 6
	colGegenkonto  = 7
	colBU          = 8
	colBelegdatum  = 9
	colBelegfeld1  = 10
	colBuchtext    = 13
	colKost1       = 36
	colKost2       = 37
	colZusatz      = 47 // Art 1; Inhalt 1 follows, then Art 2 …
	nZusatz        = 20
	colFestschreib = 113
)

// labelColumns are the columns of Kontenbeschriftungen (data category 20,
// format version 3): account, label, long label.
var labelColumns = [...]string{"Konto", "Kontenbeschriftung", "Sprach-ID", "Kontenbeschriftung lang"}

// partyColumns are the leading columns of Debitoren/Kreditoren (data
// category 16, format version 5) that this package fills; a file may have
// the further documented columns after them, which DATEV takes as empty.
var partyColumns = [...]string{
	"Konto", "Name (Adressattyp Unternehmen)", "Unternehmensgegenstand",
	"Name (Adressattyp natürl. Person)", "Vorname (Adressattyp natürl. Person)",
	"Name (Adressattyp keine Angabe)", "Adressattyp", "Kurzbezeichnung",
	"EU-Land", "EU-UStID", "Anrede", "Titel/Akad. Grad", "Adelstitel", "Namensvorsatz",
	"Adressart", "Straße", "Postfach", "Postleitzahl", "Ort", "Land",
}
