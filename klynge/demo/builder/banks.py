"""The demo's fixed material: hubs, places, named organisations and small phrase banks.

Named organisations here (other clusters, investors, knowledge institutions, municipalities)
are real Danish actors known from public sources; they carry no CVR number in the demo,
because only numbers read from the real data are attached to real names.
"""

# (hub name, city, region, e-mail)
HUBS = (
    ("København", "København", "hovedstaden", "kobenhavn@klynge.demo"),
    ("Roskilde", "Roskilde", "sjaelland", "roskilde@klynge.demo"),
    ("Odense", "Odense", "syddanmark", "odense@klynge.demo"),
    ("Aarhus", "Aarhus", "midtjylland", "aarhus@klynge.demo"),
    ("Aalborg", "Aalborg", "nordjylland", "aalborg@klynge.demo"),
)

# Real postcodes with their post towns, weighted roughly by where digital companies are.
# (postcode, town, weight)
PLACES = (
    ("1100", "København K", 6), ("1260", "København K", 5), ("1360", "København K", 4),
    ("1550", "København V", 5), ("1620", "København V", 4), ("2100", "København Ø", 5),
    ("2200", "København N", 5), ("2300", "København S", 5), ("2400", "København NV", 3),
    ("2450", "København SV", 3), ("2000", "Frederiksberg", 4), ("2500", "Valby", 2),
    ("2800", "Kongens Lyngby", 4), ("2900", "Hellerup", 3), ("2970", "Hørsholm", 2),
    ("2630", "Taastrup", 2), ("2750", "Ballerup", 3), ("2860", "Søborg", 2),
    ("3400", "Hillerød", 2), ("3000", "Helsingør", 1), ("2605", "Brøndby", 1),
    ("4000", "Roskilde", 4), ("4100", "Ringsted", 1), ("4200", "Slagelse", 1),
    ("4600", "Køge", 2), ("4700", "Næstved", 1), ("4300", "Holbæk", 1),
    ("4800", "Nykøbing F", 1),
    ("5000", "Odense C", 5), ("5230", "Odense M", 4), ("5220", "Odense SØ", 2),
    ("5700", "Svendborg", 1), ("6000", "Kolding", 3), ("6700", "Esbjerg", 2),
    ("7100", "Vejle", 3), ("7000", "Fredericia", 1), ("6400", "Sønderborg", 2),
    ("6100", "Haderslev", 1),
    ("8000", "Aarhus C", 7), ("8200", "Aarhus N", 5), ("8210", "Aarhus V", 3),
    ("8230", "Åbyhøj", 1), ("8260", "Viby J", 2), ("8600", "Silkeborg", 2),
    ("8700", "Horsens", 2), ("7400", "Herning", 2), ("8900", "Randers C", 1),
    ("8800", "Viborg", 1), ("7500", "Holstebro", 1), ("8381", "Tilst", 1),
    ("9000", "Aalborg", 5), ("9220", "Aalborg Øst", 3), ("9200", "Aalborg SV", 2),
    ("9400", "Nørresundby", 1), ("9800", "Hjørring", 1), ("9900", "Frederikshavn", 1),
)

# Other Danish cluster organisations (kind: cluster), besides those in the CORDIS data.
# (name, postcode, town, website)
CLUSTERS = (
    ("Danish Life Science Cluster", "2200", "København N", "https://www.danishlifesciencecluster.dk"),
    ("Lifestyle & Design Cluster", "7400", "Herning", "https://www.ldcluster.com"),
    ("Danish Sound Cluster", "2450", "København SV", "https://www.danishsound.org"),
    ("CenSec", "8000", "Aarhus C", "https://www.censec.dk"),
    ("UAS Denmark", "5270", "Odense N", "https://www.uasdenmark.dk"),
    ("Copenhagen FinTech", "1100", "København K", "https://www.copenhagenfintech.dk"),
    ("Welfare Tech", "5230", "Odense M", "https://www.welfaretech.dk"),
)
# CORDIS legal names of cluster organisations, with the name people know them by.
CORDIS_CLUSTERS = {
    "CLEAN": "CLEAN",
    "ENERGY CLUSTER DENMARK": "Energy Cluster Denmark",
    "FORENINGEN MADE": "MADE",
    "FORENINGEN ODENSE ROBOTICS": "Odense Robotics",
    "FORENINGEN BLOXHUB": "BLOXHUB",
    "FBCD AS": "Food & Bio Cluster Denmark",
    "INTERNATIONAL CLEANTECH NETWORK F.M.B.A.": "International Cleantech Network",
}
# GTS institutes (approved technological service institutes) found in the CORDIS data.
CORDIS_GTS = ("TEKNOLOGISK INSTITUT", "FORCE TECHNOLOGY", "DHI A/S", "DANSK FUNDAMENTAL METROLOGI")

# Investors (kind: investor). (name, postcode, town, website)
INVESTORS = (
    ("EIFO – Danmarks Eksport- og Investeringsfond", "2100", "København Ø", "https://www.eifo.dk"),
    ("Seed Capital", "1260", "København K", "https://www.seedcapital.dk"),
    ("PreSeed Ventures", "2800", "Kongens Lyngby", "https://www.preseedventures.dk"),
    ("byFounders", "1360", "København K", "https://www.byfounders.vc"),
    ("Syddansk Innovation", "5230", "Odense M", "https://www.syddanskinnovation.dk"),
    ("DanBAN – Danish Business Angels", "2100", "København Ø", "https://www.danban.dk"),
)

# Knowledge institutions that the CORDIS data lacks. (name, kind, postcode, town, website)
KNOWLEDGE_INSTITUTIONS = (
    ("Alexandra Instituttet", "gts", "8200", "Aarhus N", "https://www.alexandra.dk"),
    ("Erhvervsakademi Aarhus", "business_academy", "8210", "Aarhus V", "https://www.eaaa.dk"),
    ("KEA – Københavns Erhvervsakademi", "business_academy", "2200", "København N",
     "https://www.kea.dk"),
    ("UCL Erhvervsakademi og Professionshøjskole", "university_college", "5230", "Odense M",
     "https://www.ucl.dk"),
    ("Zealand – Sjællands Erhvervsakademi", "business_academy", "4700", "Næstved",
     "https://www.zealand.dk"),
    ("Københavns Professionshøjskole", "university_college", "2200", "København N",
     "https://www.kp.dk"),
    ("Professionshøjskolen Absalon", "university_college", "4180", "Sorø",
     "https://www.phabsalon.dk"),
    ("Erhvervsakademi MidtVest", "business_academy", "7400", "Herning", "https://www.eamv.dk"),
    ("UC SYD", "university_college", "6100", "Haderslev", "https://www.ucsyd.dk"),
    ("Erhvervsakademi Dania", "business_academy", "8900", "Randers C", "https://www.eadania.dk"),
)

# Municipalities and other public actors that the CORDIS data lacks. (name, postcode, town)
PUBLIC_ACTORS = (
    ("Aarhus Kommune", "8000", "Aarhus C"),
    ("Aalborg Kommune", "9000", "Aalborg"),
    ("Roskilde Kommune", "4000", "Roskilde"),
    ("Esbjerg Kommune", "6700", "Esbjerg"),
    ("Herning Kommune", "7400", "Herning"),
    ("Erhvervshus Midtjylland", "8600", "Silkeborg"),
    ("Erhvervshus Sjælland", "4100", "Ringsted"),
    ("Erhvervshus Nordjylland", "9000", "Aalborg"),
)

# Fixes for CORDIS's upper-case names, which lost the Danish letters (applied before
# title-casing). Only whole, unambiguous fragments.
DANISH_LETTER_FIXES = (
    ("KOEBENHAVN", "KØBENHAVN"), ("KOBENHAVN", "KØBENHAVN"), ("HOJSKOLE", "HØJSKOLE"),
    ("FODEVARER", "FØDEVARER"), ("MILJO", "MILJØ"), ("SOROE", "SORØ"), ("SOROGADE", "SORØGADE"),
    ("ROENNE", "RØNNE"), ("RONNE", "RØNNE"), ("HOERSHOLM", "HØRSHOLM"), ("HORSHOLM", "HØRSHOLM"),
    ("BRONDBY", "BRØNDBY"), ("BIRKEROD", "BIRKERØD"), ("HILLEROD", "HILLERØD"),
    ("NORRESUNDBY", "NØRRESUNDBY"), ("HOJBJERG", "HØJBJERG"), ("NYKOBING", "NYKØBING"),
    ("HOJE", "HØJE"), ("RODE KORS", "RØDE KORS"), ("SJAELLAND", "SJÆLLAND"),
    ("LAEGEMIDDEL", "LÆGEMIDDEL"), ("KRAEFTENS BEKAEMPELSE", "KRÆFTENS BEKÆMPELSE"),
    ("OKOLOGISK", "ØKOLOGISK"), ("TAENKETANKEN", "TÆNKETANKEN"), ("FAELLESBO", "FÆLLESBO"),
    ("FLYGTNINGEHJAELP", "FLYGTNINGEHJÆLP"), ("NETVARK", "NETVÆRK"), ("HAVHOST", "HAVHØST"),
    ("SKANSOMT", "SKÅNSOMT"), ("KOBENHAVNS", "KØBENHAVNS"), ("AALBORG OST", "AALBORG ØST"),
    ("SNOGHOG", "SNOGHØJ"), ("RADHUSPLADSEN", "RÅDHUSPLADSEN"), ("SOEBORG", "SØBORG"),
    ("SOBORG", "SØBORG"),
)
LEGAL_FORMS = {
    "APS": "ApS", "A/S": "A/S", "AS": "A/S", "I/S": "I/S", "P/S": "P/S", "K/S": "K/S", "IVS": "IVS",
    "AMBA": "AMBA", "A.M.B.A.": "a.m.b.a.", "F.M.B.A.": "f.m.b.a.", "FMBA": "FMBA", "SMBA": "SMBA",
}
SMALL_WORDS = {
    "og", "i", "af", "for", "til", "med", "på", "paa", "ved", "den", "det", "de", "of", "and",
    "the", "in", "on", "at", "to", "by", "fra", "om", "under",
}
# Short upper-case words that are acronyms although they have a vowel (the rest are words).
ACRONYMS = {
    "DHI", "DTU", "AAU", "ITU", "KU", "SDU", "RUC", "IT", "EU", "AI", "IOT", "ICT", "IDC", "LM",
    "DSV", "ABB", "GN", "FLS", "ARC", "SAS", "CAP", "AMU", "DMI", "GEUS", "SSI", "UCN", "VIA",
    "KEA", "IBM", "SAP", "SEGES", "ICARS", "EIT", "HPC", "UAS", "BIO",
}
# Post towns of the Copenhagen postcodes, which CORDIS spells in many ways. (first, last, town)
COPENHAGEN_TOWNS = (
    (1000, 1499, "København K"), (1500, 1799, "København V"), (1800, 1999, "Frederiksberg C"),
    (2000, 2000, "Frederiksberg"), (2100, 2100, "København Ø"), (2150, 2150, "Nordhavn"),
    (2200, 2200, "København N"), (2300, 2300, "København S"), (2400, 2400, "København NV"),
    (2450, 2450, "København SV"), (2500, 2500, "Valby"),
)
# Towns CORDIS spells without Danish letters (lower case key).
TOWN_FIXES = {
    "kobenhavn": "København", "koebenhavn": "København", "copenhagen": "København",
    "soro": "Sorø", "soroe": "Sorø", "hjorring": "Hjørring", "ronne": "Rønne",
    "roenne": "Rønne", "hillerod": "Hillerød", "horsholm": "Hørsholm", "hoersholm": "Hørsholm",
    "vaerlose": "Værløse", "thyboron": "Thyborøn", "soborg": "Søborg", "bagsvaerd": "Bagsværd",
    "brondby": "Brøndby", "birkerod": "Birkerød", "norresundby": "Nørresundby",
    "hojbjerg": "Højbjerg", "aabenraa": "Aabenraa", "randbol": "Randbøl", "romo": "Rømø",
    "allerod": "Allerød", "kobenhavns": "Københavns", "nykobing": "Nykøbing", "koge": "Køge",
    "naestved": "Næstved", "holbaek": "Holbæk", "sonderborg": "Sønderborg", "tarm": "Tarm",
    "ega": "Egå", "hoje": "Høje", "lyngby": "Lyngby", "odder": "Odder", "skaerbaek": "Skærbæk",
}

# Danish company-name parts for the generated companies.
TECH_WORDS = (
    "Data", "Digital", "Software", "Analytics", "Systems", "Tech", "IoT", "Robotics", "Cloud",
    "Security", "Labs", "Solutions", "AI", "Sensor", "Automation", "Connect", "Insight",
    "Platform", "Consult", "Engineering",
)
BRAND_STEMS = (
    "Nordlys", "Bølge", "Fjord", "Klint", "Lynge", "Hav", "Mølle", "Kompas", "Fyr", "Ege",
    "Skov", "Vind", "Sol", "Bro", "Nord", "Vest", "Øst", "Syd", "Gny", "Spire", "Tråd", "Puls",
    "Kerne", "Sky", "Frø", "Ravn", "Trane", "Odin", "Frej", "Aros", "Ask", "Kvant", "Krystal",
    "Saga", "Runa", "Havn", "Dige", "Strøm", "Lyng", "Vadehav",
)
BRAND_ENDINGS = (
    "", "tech", "data", "soft", "labs", "sense", "byte", "logic", "works", "ware", "io", "ly",
)
SUFFIXES = (("ApS", 62), ("A/S", 28), ("I/S", 3), ("P/S", 2), ("", 5))

# DB07 code prefixes of digital companies, with weights.
DIGITAL_INDUSTRIES = (
    ("62.01", 26), ("62.02", 16), ("62.03", 3), ("62.09", 5), ("63.1", 8), ("58.2", 7),
    ("26.", 10), ("72.1", 8), ("71.12", 8), ("70.22", 5), ("46.5", 4),
)

# Job titles by kind of organisation (Danish, English).
JOB_TITLES = {
    "company": (
        ("Administrerende direktør", "CEO"), ("Teknisk direktør", "CTO"),
        ("Udviklingschef", "Head of Development"), ("Innovationschef", "Head of Innovation"),
        ("Projektleder", "Project Manager"), ("Softwareudvikler", "Software Developer"),
        ("Data scientist", "Data Scientist"), ("Salgsdirektør", "Sales Director"),
        ("Forretningsudvikler", "Business Developer"), ("Produktchef", "Product Manager"),
        ("IT-sikkerhedsansvarlig", "CISO"), ("Stifter og partner", "Founder and Partner"),
        ("Marketingchef", "Marketing Manager"), ("Systemarkitekt", "Solution Architect"),
    ),
    "knowledge": (
        ("Professor", "Professor"), ("Lektor", "Associate Professor"),
        ("Adjunkt", "Assistant Professor"), ("Ph.d.-studerende", "PhD Fellow"),
        ("Forskningschef", "Head of Research"), ("Erhvervssamarbejdskonsulent",
                                                 "Industry Liaison Officer"),
        ("Seniorkonsulent", "Senior Consultant"), ("Innovationskonsulent", "Innovation Officer"),
    ),
    "public": (
        ("Erhvervskonsulent", "Business Consultant"), ("Digitaliseringschef",
                                                       "Head of Digitalisation"),
        ("Chefkonsulent", "Chief Consultant"), ("Projektleder", "Project Manager"),
        ("Specialkonsulent", "Special Adviser"),
    ),
    "investor": (
        ("Partner", "Partner"), ("Investment manager", "Investment Manager"),
        ("Analytiker", "Analyst"),
    ),
    "cluster": (
        ("Klyngechef", "Cluster Manager"), ("Innovationsleder", "Innovation Lead"),
        ("Projektleder", "Project Manager"), ("Netværksansvarlig", "Network Manager"),
    ),
}

# Competences, offers and seeks, per technology (keys match the taxonomy's four technologies
# in order: AI, IoT, data and HPC, cyber security). Danish and English.
COMPETENCES = {
    "da": (
        ("maskinlæring og billedgenkendelse", "sprogteknologi og tekstanalyse på dansk",
         "prædiktiv vedligeholdelse med AI", "beslutningsstøtte og optimering"),
        ("sensornetværk og edge computing", "indlejrede systemer og firmware",
         "LoRaWAN- og 5G-forbindelser", "digitale tvillinger af produktionsanlæg"),
        ("data engineering og dataplatforme", "visualisering og dashboards",
         "HPC og numerisk simulering", "statistisk modellering og prognoser"),
        ("penetrationstest og sårbarhedsscanning", "NIS2- og ISO 27001-rådgivning",
         "OT-sikkerhed i industrien", "identitets- og adgangsstyring"),
    ),
    "en": (
        ("machine learning and computer vision", "language technology and text analytics",
         "predictive maintenance with AI", "decision support and optimisation"),
        ("sensor networks and edge computing", "embedded systems and firmware",
         "LoRaWAN and 5G connectivity", "digital twins of production plants"),
        ("data engineering and data platforms", "visualisation and dashboards",
         "HPC and numerical simulation", "statistical modelling and forecasting"),
        ("penetration testing and vulnerability scanning", "NIS2 and ISO 27001 advice",
         "OT security in industry", "identity and access management"),
    ),
}
OFFERS = {
    "da": (
        "Vi tilbyder pilotforløb, hvor en kunde kan afprøve løsningen i egen drift.",
        "Vi stiller vores test- og demofaciliteter til rådighed for projekter.",
        "Vi deler gerne erfaringer med {competence} i netværk og workshops.",
        "Vi kan levere en prototype inden for {competence} på få uger.",
        "Vi tilbyder sparring på ansøgninger til Innovationsfonden og EU.",
    ),
    "en": (
        "We offer pilots in which a customer tries the solution in daily operations.",
        "Our test and demo facilities are open to joint projects.",
        "Happy to share experience with {competence} in networks and workshops.",
        "We can deliver a prototype in {competence} within weeks.",
        "We offer sparring on applications to Innovation Fund Denmark and the EU.",
    ),
}
SEEKS = {
    "da": (
        "Vi søger partnere til en EU-ansøgning om {competence}.",
        "Vi søger pilotkunder i energi- og forsyningssektoren.",
        "Vi søger investorer til næste vækstfase.",
        "Vi søger forskningspartnere med viden om {competence}.",
        "Vi søger virksomheder, der vil teste nye løsninger i produktionen.",
        "Vi søger kompetencer inden for {competence}.",
    ),
    "en": (
        "We are looking for partners for an EU proposal on {competence}.",
        "We are looking for pilot customers in energy and utilities.",
        "We are looking for investors for our next growth stage.",
        "We are looking for research partners who know {competence}.",
        "We are looking for talent in {competence}.",
    ),
}
KNOWLEDGE_OFFERS = (
    "Forskningssamarbejde, studenterprojekter og adgang til laboratorier inden for "
    "{competence}."
)
KNOWLEDGE_SEEKS = (
    "Virksomheder, der vil indgå i forsknings- og innovationsprojekter om {competence}."
)
INVESTOR_OFFERS = "Kapital og rådgivning til tidlige vækstvirksomheder inden for digital teknologi."
INVESTOR_SEEKS = "Skalerbare startups med digitale løsninger til den grønne omstilling."
CLUSTER_OFFERS = "Samarbejde på tværs af klynger om digitalisering i vores erhverv."
CLUSTER_SEEKS = "Digitale kompetencer og partnere til fælles projekter og EU-ansøgninger."
OTHER_OFFERS = "Viden og netværk inden for {competence}."
OTHER_SEEKS = "Partnere med digitale løsninger inden for {competence}."
PUBLIC_OFFERS = "Offentlige data, testbede og samarbejde om velfærds- og bytjenester."
PUBLIC_SEEKS = "Virksomheder med løsninger til {competence} i den offentlige sektor."

# Interactions: (kind, subject, note) in Danish.
INTERACTION_SUBJECTS = {
    "visit": (
        "Virksomhedsbesøg: status på digitaliseringsprojekt",
        "Besøg: præsentation af klyngens tilbud",
        "Besøg hos ledelsen om internationalisering",
        "Besøg: rundvisning i produktionen og IoT-behov",
    ),
    "call": (
        "Opfølgning på netværksmøde",
        "Opkald om medlemskab og fornyelse",
        "Afklaring af projektidé til Innovationsfonden",
        "Opkald om deltagelse i EU-ansøgning",
        "Forventningsafstemning før matchmaking",
    ),
    "meeting": (
        "Møde om konsortium til EU-ansøgning",
        "Matchmaking-møde med mulig samarbejdspartner",
        "Møde om pilotprojekt med videninstitution",
        "Workshop om AI i produktionen",
        "Møde om grønne data og cirkulær økonomi",
    ),
    "email": (
        "Tilsendt materiale om fokusnetværk",
        "Invitation til konference sendt",
        "Svar på spørgsmål om cybersikkerhedsforløb",
        "Introduktion til relevant forsker",
    ),
}
INTERACTION_NOTES = (
    "God dialog; virksomheden er interesseret i at deltage i næste aktivitet.",
    "De overvejer et samarbejde med en videninstitution om data og AI.",
    "Ønsker introduktion til andre medlemmer med samme udfordring.",
    "Fokus på cybersikkerhed efter NIS2; vil gerne høre om vores forløb.",
    "Har brug for hjælp til en ansøgning; vender tilbage med projektbeskrivelse.",
    "Interesseret i internationale matchmaking-events.",
    "",
)
NEXT_STEPS = (
    "Send forslag til samarbejdspartnere",
    "Følg op på projektbeskrivelse",
    "Invitér til næste netværksmøde",
    "Book opfølgende besøg",
    "Send materiale om EU-ansøgning",
    "Aftal møde med forsker",
)
