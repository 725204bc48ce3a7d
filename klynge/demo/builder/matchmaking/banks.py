"""Word banks of the demo's matchmaking data: EU project themes in CORDIS's style, fictional
European organisations, call topics in the Funding & Tenders portal's style, and the Danish
texts of introductions and their outcomes. All names of foreign organisations and places are
made up."""

# One theme per focus area of the cluster: (key, CORDIS legal basis, project title patterns,
# euroSciVoc-like labels, deliverable patterns, acronym stems).
THEMES = (
    ("ai", "HORIZON.2.4 - Digital, Industry and Space",
     ("Trustworthy and explainable AI for {sector}", "AI-driven quality inspection in {sector}",
      "Foundation models adapted to {sector}", "Human-centred machine learning for {sector}"),
     ("artificial intelligence", "machine learning", "computer vision", "deep learning",
      "natural language processing", "explainable AI"),
     ("Annotated benchmark dataset for {sector}", "Explainability toolkit, first release",
      "Trained models and evaluation report", "Guidelines for trustworthy AI in {sector}"),
     ("XAI", "TRUST", "VISION", "LEARN")),
    ("cyber", "HORIZON.2.3 - Civil Security for Society",
     ("Cyber-resilient operation of {sector}", "Threat intelligence sharing for {sector}",
      "Post-quantum secure communication in {sector}", "Security by design for {sector}"),
     ("cybersecurity", "intrusion detection", "cryptography", "network security",
      "risk assessment", "software security"),
     ("Threat landscape and risk assessment of {sector}", "Intrusion detection prototype",
      "Security certification scheme proposal", "Incident response playbooks for {sector}"),
     ("CYBER", "SHIELD", "SECURE", "RESIL")),
    ("iot", "HORIZON.2.4 - Digital, Industry and Space",
     ("Edge-to-cloud IoT platform for {sector}", "Low-power sensor networks in {sector}",
      "Interoperable digital twins of {sector}", "Federated data spaces for {sector}"),
     ("internet of things", "sensors", "edge computing", "wireless sensor networks",
      "digital twin", "data spaces"),
     ("Reference architecture of the edge-to-cloud platform", "Sensor node hardware design",
      "Digital twin of the {sector} pilot", "Interoperability test report"),
     ("EDGE", "SENSE", "TWIN", "LINK")),
    ("green", "HORIZON.2.5 - Climate, Energy and Mobility",
     ("Data-driven energy optimisation of {sector}", "Digital product passports for {sector}",
      "Green computing for {sector}", "Flexible demand response in {sector}"),
     ("energy efficiency", "smart grids", "circular economy", "life cycle assessment",
      "renewable energy", "green computing"),
     ("Energy baseline of the {sector} pilots", "Optimisation service, final version",
      "Life cycle assessment of the solutions", "Replication plan for {sector}"),
     ("GREEN", "FLEX", "CIRC", "ECO")),
    ("health", "HORIZON.2.1 - Health",
     ("Secure reuse of health data for {sector}", "AI-supported diagnostics in {sector}",
      "Interoperable health records across {sector}", "Remote monitoring for {sector}"),
     ("health data", "medical informatics", "telemedicine", "data protection",
      "clinical decision support", "interoperability"),
     ("Health data governance framework", "Clinical validation protocol",
      "Federated analytics platform", "Patient involvement report"),
     ("HEALTH", "CARE", "MEDI", "VITAL")),
    ("robotics", "HORIZON.2.4 - Digital, Industry and Space",
     ("Collaborative robots for {sector}", "Autonomous mobile robots in {sector}",
      "Flexible robotic assembly for {sector}", "Safe human-robot interaction in {sector}"),
     ("robotics", "autonomous robots", "collaborative robots", "robot perception",
      "motion planning", "industrial automation"),
     ("Robot cell design for the {sector} pilot", "Perception and grasping module",
      "Safety assessment of human-robot collaboration", "Pilot demonstration report"),
     ("COBOT", "ROBO", "GRASP", "MOTION")),
)
SECTORS = ("manufacturing", "agri-food", "energy grids", "hospitals", "ports and logistics",
           "water utilities", "construction", "public administration", "maritime transport",
           "retail", "district heating", "food processing")
#: Deliverables every project has, beside its theme's.
COMMON_DELIVERABLES = ("Project management handbook", "Data management plan",
                       "Requirements and use cases", "Dissemination and exploitation plan",
                       "Final report on exploitation of results")
ACRONYM_ENDINGS = ("EU", "4ALL", "NET", "PLUS", "HUB", "X", "NEXT", "FLOW", "BASE", "LAB")
TOPIC_CODES = {
    "ai": "HORIZON-CL4-{year}-HUMAN-01-{n:02d}",
    "cyber": "HORIZON-CL3-{year}-CS-01-{n:02d}",
    "iot": "HORIZON-CL4-{year}-DATA-01-{n:02d}",
    "green": "HORIZON-CL5-{year}-D4-01-{n:02d}",
    "health": "HORIZON-HLTH-{year}-IND-13-{n:02d}",
    "robotics": "HORIZON-CL4-{year}-TWIN-TRANSITION-01-{n:02d}",
}

# Foreign organisations: (country, weight, company legal forms, made-up towns).
COUNTRIES = (
    ("DE", 14, ("GmbH", "AG"), ("Altenbrück", "Wendelsee", "Grauhafen", "Oberlingen")),
    ("NL", 10, ("B.V.",), ("Marsdijk", "Zeewolderen", "Hoogbroek")),
    ("FR", 9, ("SAS", "SA"), ("Belcastre", "Montrieu", "Saint-Orvel")),
    ("ES", 9, ("S.L.", "S.A."), ("Valdemora", "Castrelo", "Almarén")),
    ("IT", 8, ("S.r.l.", "S.p.A."), ("Torvale", "Sanfredo", "Montecaro")),
    ("BE", 6, ("NV", "SRL"), ("Havermont", "Kortwijk")),
    ("FI", 6, ("Oy",), ("Kallioja", "Vesilahti")),
    ("SE", 6, ("AB",), ("Björkvik", "Ljungås")),
    ("AT", 4, ("GmbH",), ("Steinfelden", "Moorach")),
    ("PL", 4, ("sp. z o.o.",), ("Borowiec", "Zielnik")),
    ("PT", 4, ("Lda",), ("Vila Serrana", "Montalvo")),
    ("IE", 3, ("Ltd",), ("Ballymor", "Kilcarragh")),
    ("GR", 3, ("IKE",), ("Kalamos", "Neapoli Thalassis")),
    ("NO", 4, ("AS",), ("Fjellvik", "Sandøya")),
)
BRAND_HEADS = ("Vel", "Tor", "Mar", "Kest", "Ael", "Bryn", "Cal", "Dorn", "Eld", "Fen", "Gral",
               "Hal", "Isk", "Jor", "Lum", "Nov", "Ost", "Pry", "Quel", "Rav", "Sol", "Tav",
               "Ulm", "Var", "Wes", "Zan", "Arc", "Bel", "Cir", "Dex")
BRAND_TAILS = ("ora", "ex", "ion", "ant", "is", "ek", "ara", "yx", "eon", "ium", "ia", "on",
               "iq", "os")
COMPANY_WORDS = {
    "ai": ("Analytics", "Vision", "AI", "Intelligence"),
    "cyber": ("Security", "Secure Systems", "Cyber", "Defence"),
    "iot": ("Sensing", "IoT", "Connect", "Devices"),
    "green": ("Energy", "Cleantech", "Grid", "Circular"),
    "health": ("Health", "Medical", "Care Systems", "Diagnostics"),
    "robotics": ("Robotics", "Automation", "Mechatronics", "Motion"),
}
RESEARCH_FIELDS = {
    "ai": "Intelligent Systems", "cyber": "Cybersecurity", "iot": "Embedded Systems",
    "green": "Sustainable Energy", "health": "Health Informatics", "robotics": "Robotics",
}
# (country or "" for any other: pattern) for research organisations and universities.
RESEARCH_PATTERNS = {
    "DE": "{brand}-Institut für {field}", "FR": "Institut {brand} de Recherche",
    "ES": "Centro Tecnológico {brand}", "IT": "Fondazione {brand} per la Ricerca",
    "NL": "{brand} Kenniscentrum {field}", "": "{brand} Research Centre for {field}",
}
UNIVERSITY_PATTERNS = {
    "DE": "Technische Hochschule {town}", "FR": "Université de {town}",
    "ES": "Universidad de {town}", "IT": "Università di {town}", "NL": "Hogeschool {town}",
    "PT": "Universidade de {town}", "": "{town} University of Technology",
}
PUBLIC_PATTERNS = ("Municipality of {town}", "Port Authority of {town}",
                   "{town} Regional Development Agency", "Hospital District of {town}")

# Call topics: (theme, programme, identifier pattern, title pattern, type of action)
CALL_PATTERNS = (
    ("ai", "HORIZON", "HORIZON-CL4-{year}-HUMAN-01-{n:02d}",
     "Explainable and robust AI for {sector} (AI, data and robotics partnership)",
     "HORIZON-RIA HORIZON Research and Innovation Actions"),
    ("ai", "DIGITAL", "DIGITAL-{year}-AI-0{m}-TEF-{code}",
     "Testing and experimentation facilities for AI in {sector}",
     "DIGITAL-SIMPLE DIGITAL Simple Grants"),
    ("cyber", "HORIZON", "HORIZON-CL3-{year}-CS-01-{n:02d}",
     "Security of critical digital infrastructure in {sector}",
     "HORIZON-IA HORIZON Innovation Actions"),
    ("cyber", "DIGITAL", "DIGITAL-ECCC-{year}-DEPLOY-CYBER-0{m}-{code}",
     "Deploying cybersecurity tools for SMEs in {sector}",
     "DIGITAL-GFS DIGITAL Grants for Financial Support"),
    ("iot", "HORIZON", "HORIZON-CL4-{year}-DATA-01-{n:02d}",
     "Cognitive cloud-edge-IoT continuum for {sector}",
     "HORIZON-RIA HORIZON Research and Innovation Actions"),
    ("iot", "DIGITAL", "DIGITAL-{year}-CLOUD-DATA-AI-0{m}-{code}",
     "Common European data space for {sector}",
     "DIGITAL-SIMPLE DIGITAL Simple Grants"),
    ("green", "HORIZON", "HORIZON-CL5-{year}-D4-01-{n:02d}",
     "Digital solutions for the energy transition of {sector}",
     "HORIZON-IA HORIZON Innovation Actions"),
    ("green", "DIGITAL", "DIGITAL-{year}-GREEN-0{m}-{code}",
     "Digital product passports and circularity in {sector}",
     "DIGITAL-SIMPLE DIGITAL Simple Grants"),
    ("health", "HORIZON", "HORIZON-HLTH-{year}-IND-13-{n:02d}",
     "Trustworthy secondary use of health data in {sector}",
     "HORIZON-RIA HORIZON Research and Innovation Actions"),
    ("robotics", "HORIZON", "HORIZON-CL4-{year}-TWIN-TRANSITION-01-{n:02d}",
     "Flexible robotics and human-robot collaboration in {sector}",
     "HORIZON-IA HORIZON Innovation Actions"),
    ("robotics", "HORIZON", "HORIZON-CL4-{year}-DIGITAL-EMERGING-01-{n:02d}",
     "Robotics for inspection and maintenance in {sector}",
     "HORIZON-RIA HORIZON Research and Innovation Actions"),
    ("ai", "HORIZON", "HORIZON-CL4-{year}-DIGITAL-EMERGING-02-{n:02d}",
     "Networks of excellence in trustworthy AI for {sector}",
     "HORIZON-CSA HORIZON Coordination and Support Actions"),
)
CALL_CODES = ("SME", "ENERGY", "MANUFACTURING", "HEALTH", "AGRIFOOD", "MOBILITY", "EDIH")
CALL_DESCRIPTION = (
    "Expected Outcome: Projects are expected to contribute to the following outcomes: "
    "{title_lower} that European organisations, SMEs in particular, can take up; validated "
    "{labels} solutions demonstrated in real settings; and a stronger European value chain "
    "in {sector}.\n\n"
    "Scope: Proposals should bring together research organisations, technology providers and "
    "end users in {sector}, develop and test solutions in at least two pilots in different "
    "Member States or Associated Countries, and address interoperability, standards and the "
    "skills needed to use the results. The participation of SMEs is encouraged."
)

# Introductions: Danish personal messages (empty: none written) and outcome texts.
MESSAGES = (
    "",
    "Hej begge to – I arbejder med det samme på hver jeres side, og jeg tror, I kan have glæde "
    "af en snak. Mødes gerne til et af klyngens arrangementer.",
    "Jeg tænkte på jer, da vi talte om jeres udfordringer sidst. Tag en kop kaffe sammen, og "
    "sig endelig til, hvis klyngen kan hjælpe videre.",
    "I søger begge partnere til et kommende EU-projekt. Her er mit bud på et godt match.",
    "Kort præsentation fra klyngen: jeg mener, I har kompetencer, der passer godt sammen.",
    "",
)
OUTCOME_TEXTS = {
    "met": "Første møde holdt hos {a} med deltagelse af klyngen.",
    "collaboration_started": "{a} og {b} har indgået en samarbejdsaftale.",
    "joint_project": "Samarbejdet er blevet til et fælles udviklingsprojekt.",
    "eu_application_submitted": "Fælles ansøgning indsendt til {call}.",
    "eu_application_funded": "Ansøgningen er bevilget; projektet går i gang.",
    "commercial_use": "{company} bruger resultaterne fra samarbejdet med {other} i et nyt "
                      "produkt.",
    "new_company": "Samarbejdet har ført til en ny virksomhed, udskilt fra {company}.",
}
