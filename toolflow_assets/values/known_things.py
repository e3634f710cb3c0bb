"""Values of things whose kind says what they look like, where a qualifier before the noun named nothing.

typed_values.thing_value drew "custom star" for a `star_name`, "secondary president" for a `president`,
"custom chord progression" for a song's chords and "custom tech stack" for an engineer's tools: placeholders a
model trained on would learn to relay (typed_values.is_placeholder, the rule value_fit holds values to). A
reader knows what each is: a star has a name people use (Sirius), a president is a person, a chord
progression is chords, a tech stack is a few technologies, a protein sequence amino-acid letters. `known_thing`
answers for these kinds by the head noun of the name (and the words before it where the head alone is
vague: a `player_record` is wins and losses, a `resolution_object` of DNS a host and its address); None for
any other thing, which keeps the caller's own rules.
"""

from __future__ import annotations

import random

from ..mentions import name_tokens
from ..typed_values import faker_for
from . import lexicons as L

STARS = ("Sirius", "Vega", "Betelgeuse", "Polaris", "Rigel", "Aldebaran", "Antares", "Arcturus", "Capella",
         "Proxima Centauri", "Alpha Centauri A", "Procyon", "Deneb", "Altair", "Spica")
SCULPTURES = ("The Thinker", "David", "Venus de Milo", "Winged Victory of Samothrace", "The Kiss", "Pieta",
              "Cloud Gate", "Little Mermaid", "Bird in Space", "The Burghers of Calais")
STRUCTURES = ("Empire State Building", "Golden Gate Bridge", "Sydney Opera House", "Burj Khalifa", "Hoover Dam",
              "Eiffel Tower", "Taj Mahal", "Brooklyn Bridge", "Willis Tower", "Petronas Towers")
DISTRICTS = ("Downtown", "Old Town", "Midtown", "Chinatown", "Financial District", "Riverside", "Harbourfront",
             "Uptown", "Westside", "University District")
CHORD_PROGRESSIONS = ("C - G - Am - F", "G - D - Em - C", "Am - F - C - G", "D - A - Bm - G", "Dm7 - G7 - Cmaj7",
                      "E - B - C#m - A", "C - Am - F - G")
TECH_STACKS = ("Python, Django, PostgreSQL, React", "TypeScript, Node.js, Express, MongoDB",
               "Java, Spring Boot, MySQL, Angular", "Go, gRPC, PostgreSQL, Kubernetes",
               "Ruby on Rails, PostgreSQL, Redis, Sidekiq", "Kotlin, Spring, Kafka, Cassandra")
ACTIVITIES = ("Learn to bake sourdough bread", "Go for a hike on a local trail", "Host a board game night",
              "Visit a museum you have never been to", "Take a pottery class", "Volunteer at an animal shelter",
              "Start a small herb garden", "Have a picnic in the park", "Try an escape room")
DEGREES = ("BSc in Computer Science", "BA in Economics", "MSc in Data Science", "BA in Psychology",
           "MBA", "BEng in Mechanical Engineering", "MA in English Literature")
# what a stimulant or a drug does: the effects people report
EFFECTS = ("increased alertness", "improved focus", "mild restlessness", "faster reaction time",
           "trouble falling asleep", "a slightly raised heart rate")
_EFFECT_OF = frozenset("caffeine coffee tea drug medication medicine side alcohol nicotine sugar".split())
REVIEWS = ("Well prepared and clear about the role; the questions were fair",
           "Friendly and professional, gave useful feedback at the end",
           "Asked thoughtful technical questions and kept to time",
           "A bit rushed, but explained the next steps clearly")
# office holders: a person
_OFFICES = frozenset("president senator governor mayor chancellor minister premier ceo chairman chairperson "
                     "founder principal dean".split())
# people of a list or a record: named as people are
_PEOPLE = frozenset("user member employee scorer winner athlete candidate speaker attendee participant nominee "
                    "instructor teacher tutor coach champion".split())
CONCERTS = ("Coldplay: Music of the Spheres Tour", "Taylor Swift: The Eras Tour",
            "Boston Symphony Orchestra: Beethoven 9",
            "Norah Jones Live", "Kendrick Lamar: Grand National Tour", "Billie Eilish: Hit Me Hard and Soft Tour",
            "Jazz at Lincoln Center Orchestra")
CLOTHES = ("denim jacket", "white sneakers", "wool sweater", "linen shirt", "rain coat", "chino trousers",
           "summer dress", "hiking boots")
VIDEOS = ("How to Make Sourdough at Home", "10-Minute Morning Yoga", "Beginner Guitar Lesson 1",
          "Tokyo Travel Guide", "Build a PC in 15 Minutes", "Houseplant Care Basics")
HISTORY_FACTS = ("The Great Wall of China was built over about two thousand years.",
                 "The Eiffel Tower was finished in 1889 for the World's Fair.",
                 "Cleopatra lived closer in time to the Moon landing than to the building of the Great Pyramid.",
                 "The printing press was developed by Johannes Gutenberg around 1440.",
                 "The Berlin Wall fell on 9 November 1989.")
ADVICE = ("Write down three things you want to finish tomorrow before you go to bed.",
          "Drink a glass of water before every meal.", "Take a short walk after lunch.",
          "Keep a spare phone charger in your bag.", "Reply to small emails right away instead of saving them.")
TODOS = ("Buy groceries", "Call the dentist", "Pay the electricity bill", "Renew the passport", "Book flights for May")
_AMINO_ACIDS = "ACDEFGHIKLMNPQRSTVWY"
_PACKAGES = ("org.apache.logging.log4j:log4j-core:2.17.1", "com.fasterxml.jackson.core:jackson-databind:2.15.2",
             "org.springframework:spring-core:5.3.27", "pkg:npm/lodash@4.17.21", "pkg:pypi/requests@2.31.0",
             "io.netty:netty-handler:4.1.94.Final")
KEY_SIGNATURES = ("D major (2 sharps)", "F major (1 flat)", "A minor (no sharps or flats)", "E major (4 sharps)",
                  "B flat major (2 flats)", "G major (1 sharp)", "C minor (3 flats)")
SCALE_NOTES = ("C D E F G A B", "G A B C D E F#", "D E F# G A B C#", "A B C D E F G", "F G A Bb C D E",
               "E F# G A B C D")
PROTEINS = ("hemoglobin", "insulin", "collagen", "myoglobin", "keratin", "p53", "lysozyme", "albumin")
EXHIBITIONS = ("Van Gogh and the Sea", "Treasures of Ancient Egypt", "Impressionist Landscapes",
               "Dinosaurs of the Cretaceous", "Modern Sculpture Now", "The Silk Road", "Picasso: The Blue Period")
_SERVICES = ("checkout", "billing", "payments", "search", "inventory", "web-frontend", "api-gateway")
AGE_GROUPS = ("adults 25-34", "adults 35-44", "young adults 18-24", "seniors 65+", "teens 13-17", "adults 45-54")
AUDIT_EVENTS = ("user login", "password changed", "role granted", "report exported", "API key created",
                "settings updated", "user deactivated")
_HOSTS = ("example.com", "mail.example.org", "api.example.net", "cdn.example.com", "shop.example.org")


def known_thing(head: str, words: set[str], rng: random.Random) -> str | None:
    """A real-looking value for a thing of a kind a reader knows (see the module's doc): `head` is the name's
    last word, singular; `words` all its words. None for another thing."""
    if head == "star" and not words & {"rating", "review"}:
        return rng.choice(STARS)
    if head in ("sculpture", "statue"):
        return rng.choice(SCULPTURES)
    if head in ("structure", "building", "monument") and not words & {"data", "file", "code", "organization"}:
        return rng.choice(STRUCTURES)
    if head in ("district", "neighborhood", "neighbourhood", "borough", "quarter"):
        return rng.choice(DISTRICTS)
    if head in _OFFICES or head in _PEOPLE:
        fake = faker_for(rng)
        return f"{fake.first_name()} {fake.last_name()}"
    if head == "progression" and "chord" in words:
        return rng.choice(CHORD_PROGRESSIONS)
    if head == "sequence" and words & {"protein", "peptide", "amino"}:
        return "M" + "".join(rng.choice(_AMINO_ACIDS) for _ in range(rng.randint(14, 24)))
    if head == "stack" and words & {"tech", "technology", "software"}:
        return rng.choice(TECH_STACKS)
    if head == "activity":
        return rng.choice(ACTIVITIES)
    if head in ("education", "degree", "qualification"):
        return f"{rng.choice(DEGREES)}, {faker_for(rng).city()} University"
    if head == "effect" and words & _EFFECT_OF:
        return rng.choice(EFFECTS)
    if head == "review":
        return rng.choice(REVIEWS)
    if head == "record" and words & {"player", "team", "season", "coach"}:
        wins = rng.randint(3, 14)
        return f"{wins}-{rng.randint(0, 17 - wins)}"  # wins and losses of a season
    if head in ("dependency", "package") or head == "component" and words <= {"component", "meta", "latest"}:
        return rng.choice(_PACKAGES)  # a software component (Dependency-Track's), not a part of a car or a page
    if head == "case" and words & {"impactful", "landmark", "notable", "famous", "precedent"}:
        fake = faker_for(rng)  # a court case, named after its parties
        return f"{fake.last_name()} v. {fake.last_name()}"
    if head == "experience" and not words & {"user", "customer"}:  # a work experience: a job at a company
        fake = faker_for(rng)
        return f"{fake.job()} at {fake.company()}"
    if head in ("clothe", "clothes", "garment", "outfit"):
        return rng.choice(CLOTHES)
    if head == "video":
        return rng.choice(VIDEOS)
    if head == "fact" and "history" in words or head == "fact" and "historical" in words:
        return rng.choice(HISTORY_FACTS)
    if head == "advice" or head == "tip":
        return rng.choice(ADVICE)
    if head in ("todo", "task") and words <= {"todo", "task", "primary"}:
        return rng.choice(TODOS)
    if head == "classification" and words & {"bloodcell", "blood", "cell"}:
        return rng.choice(("neutrophil", "lymphocyte", "monocyte", "eosinophil", "basophil"))
    if head == "snapshot" and words & {"agent", "host", "server", "system"}:  # how the machine stood then
        return f"healthy, CPU {rng.randint(5, 85)}%, memory {rng.randint(20, 90)}%, {rng.randint(40, 400)} processes"
    if head == "concert":
        return rng.choice(CONCERTS)
    if head == "coordinate":  # a point, in millimetres from a reference (a brain's bregma, a part's origin)
        x, y, z = (round(rng.uniform(-6, 6), 1) for _ in range(3))
        return f"x {x} mm, y {y} mm, z {z} mm"
    if head == "showtime":
        return f"{rng.randint(12, 22)}:{rng.choice(('00', '15', '30', '45'))}"
    if head == "pod":  # a Kubernetes pod: its deployment's name and two hashes
        hashes = "".join(rng.choice("bcdfghjklmnpqrstvwxz2456789") for _ in range(15))
        return f"{rng.choice(_SERVICES)}-{hashes[:10]}-{hashes[10:]}"
    if head in ("test", "monitor", "check") and "synthetic" in words:  # a synthetic monitor of a service
        return f"{rng.choice(_SERVICES)} {rng.choice(('uptime', 'API', 'browser', 'login flow'))} check"
    if head == "demographic":
        return rng.choice(AGE_GROUPS)
    if head == "record" and "audit" in words:
        return rng.choice(AUDIT_EVENTS)
    if head == "record" and words & {"property", "land", "parcel"}:  # a property is known by its address
        fake = faker_for(rng)
        return f"{fake.street_address()}, {fake.city()}"
    if head == "mandate":  # a payment mandate, by its scheme
        return rng.choice(("SEPA Direct Debit", "BACS Direct Debit", "ACH debit authorization", "card on file"))
    if head == "credential":
        return f"{rng.choice(('admin', 'root', 'operator', 'service'))} account"
    if head == "signature" and "key" in words:
        return rng.choice(KEY_SIGNATURES)
    if head == "scale" and words & {"musical", "music", "major", "minor"} or head == "scale" and words == {"scale"}:
        return rng.choice(SCALE_NOTES)
    if head == "protein":
        return rng.choice(PROTEINS)
    if head == "exhibition":
        return rng.choice(EXHIBITIONS)
    if head == "quality" and "air" in words:
        index = rng.randint(12, 140)
        level = "good" if index <= 50 else "moderate" if index <= 100 else "unhealthy for sensitive groups"
        return f"{level} (AQI {index})"
    if head == "test" and "t" in words:  # a t-test's statistic and p-value
        statistic = rng.uniform(0.4, 3.8)
        return f"t = {statistic:.2f}, p = {max(0.001, 0.9 * 2.71828 ** (-statistic * 1.1)):.3f}"
    if head == "object" and "resolution" in words:
        return f"{rng.choice(_HOSTS)} resolves to 203.0.113.{rng.randint(2, 254)}"  # a DNS resolution
    return None


# U.S. presidents by the year their term began: a question about one in a given year has one answer
_US_PRESIDENTS = ((1933, "Franklin D. Roosevelt"), (1945, "Harry S. Truman"), (1953, "Dwight D. Eisenhower"),
                  (1961, "John F. Kennedy"), (1963, "Lyndon B. Johnson"), (1969, "Richard Nixon"),
                  (1974, "Gerald Ford"),
                  (1977, "Jimmy Carter"), (1981, "Ronald Reagan"), (1989, "George H. W. Bush"), (1993, "Bill Clinton"),
                  (2001, "George W. Bush"), (2009, "Barack Obama"), (2017, "Donald Trump"), (2021, "Joe Biden"),
                  (2025, "Donald Trump"))


def us_president(year: int) -> str | None:
    """The U.S. president in office for most of `year` (1933 on), else None."""
    if year < _US_PRESIDENTS[0][0] or year > 2030:
        return None
    return [name for start, name in _US_PRESIDENTS if start <= year][-1]


# what a person answers when a tool asks them a question on the assistant's behalf
REPLIES = ("Yes, please go ahead", "No, leave it as it is", "The first option, please", "Let's do it tomorrow instead",
           "Keep it short, please", "Yes, that is fine")

# Texts to translate, with their translations: a translation cannot be made up, so a text a translator is given
# is one of these (values.hinted_strings) and its translation is known (the executor's answer, `translated`).
_TRANSLATED_INTO = ("es", "fr", "de", "it", "pt", "hi", "ja", "zh", "ko")
_PHRASES = {
    "Good morning": ("Buenos días", "Bonjour", "Guten Morgen", "Buongiorno", "Bom dia", "सुप्रभात",
                     "おはようございます", "早上好", "좋은 아침입니다"),
    "Thank you very much": ("Muchas gracias", "Merci beaucoup", "Vielen Dank", "Grazie mille", "Muito obrigado",
                            "बहुत धन्यवाद", "どうもありがとうございます", "非常感谢", "정말 감사합니다"),
    "Where is the train station?": ("¿Dónde está la estación de tren?", "Où est la gare ?", "Wo ist der Bahnhof?",
                                    "Dov'è la stazione?", "Onde fica a estação de trem?", "रेलवे स्टेशन कहाँ है?",
                                    "駅はどこですか？", "火车站在哪里？", "기차역이 어디에 있어요?"),
    "The meeting is moved to Thursday": ("La reunión se cambió al jueves", "La réunion est déplacée à jeudi",
                                         "Das Meeting ist auf Donnerstag verschoben", "La riunione è spostata a giovedì",
                                         "A reunião foi adiada para quinta-feira", "मीटिंग गुरुवार को कर दी गई है",
                                         "会議は木曜日に変更されました", "会议改到星期四了", "회의가 목요일로 옮겨졌어요"),
    "I would like a table for two": ("Quisiera una mesa para dos", "Je voudrais une table pour deux",
                                     "Ich hätte gern einen Tisch für zwei", "Vorrei un tavolo per due",
                                     "Eu gostaria de uma mesa para dois", "मुझे दो लोगों के लिए एक टेबल चाहिए",
                                     "二人用のテーブルをお願いします", "我想要一张两人桌", "두 명 자리 부탁합니다"),
    "How much does this cost?": ("¿Cuánto cuesta esto?", "Combien ça coûte ?", "Wie viel kostet das?",
                                 "Quanto costa questo?", "Quanto custa isso?", "इसकी कीमत कितनी है?",
                                 "これはいくらですか？", "这个多少钱？", "이거 얼마예요?"),
}
TRANSLATIONS: dict[str, dict[str, str]] = {text: dict(zip(_TRANSLATED_INTO, done)) for text, done in _PHRASES.items()}


def to_translate(name: str, description: str) -> bool:
    """The parameter is the text a translator translates ("The text content to be translated")."""
    return bool(set(name_tokens(name)) & {"text", "content", "sentence", "phrase", "question"}) and (
        "translat" in description.lower())


def translated(text: str, language: str) -> str | None:
    """`text` in `language` (a code, "de", or a name, "German"), where the phrase is known; None elsewhere."""
    code = L.LANGUAGE_CODE_OF.get(language.strip().lower(), language.strip().lower()[:2])
    if code == "en" and text in TRANSLATIONS:
        return text
    return TRANSLATIONS.get(text, {}).get(code)
