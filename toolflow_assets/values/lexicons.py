"""Small built-in word lists for realistic offline values.

Every entry is plain text with no quotes, backslashes or control characters: values are stated verbatim in
user messages and must also appear unchanged inside JSON tool content (the grounding check compares text),
so nothing here may need JSON escaping.
"""

from __future__ import annotations

CITIES = (
    "Paris", "Berlin", "Tokyo", "Lisbon", "Toronto", "Nairobi", "Madrid", "Seattle", "Austin", "Denver",
    "Chicago", "Boston", "Dublin", "Oslo", "Vienna", "Prague", "Sydney", "Melbourne", "Auckland", "Osaka",
    "Seoul", "Singapore", "Mumbai", "Cape Town", "Buenos Aires", "Lima", "Montreal", "Vancouver", "Zurich",
    "Amsterdam", "Copenhagen", "Stockholm", "Helsinki", "Edinburgh", "Barcelona", "Milan", "Athens",
)
CITY_STATES = (
    "San Francisco, CA", "Austin, TX", "Seattle, WA", "Boston, MA", "Denver, CO", "Chicago, IL",
    "Portland, OR", "Miami, FL", "New York, NY", "Phoenix, AZ", "Nashville, TN", "Atlanta, GA",
)
TICKERS = ("AAPL", "MSFT", "GOOGL", "AMZN", "TSLA", "NVDA", "META", "IBM", "ORCL", "INTC")
PRODUCTS = (
    "wireless headphones", "standing desk", "espresso machine", "running shoes", "mechanical keyboard",
    "water bottle", "backpack", "desk lamp", "yoga mat", "smart watch", "coffee grinder", "rain jacket",
)
TOPICS = (
    "climate change", "machine learning", "renewable energy", "ancient Rome", "space exploration",
    "healthy recipes", "electric vehicles", "jazz history", "personal finance", "marine biology",
    "urban gardening", "quantum computing", "travel insurance", "remote work", "sleep hygiene",
)
QUERIES = (
    "best hiking trails", "vegan lasagna recipe", "cheap flights in spring", "python list comprehension",
    "how to fix a flat tire", "museum opening hours", "noise cancelling headphones review",
    "budget travel tips", "beginner guitar chords", "local farmers market",
)
GENRES = ("jazz", "rock", "classical", "hip hop", "comedy", "drama", "thriller", "documentary", "pop", "blues")
LANGUAGES = ("English", "Spanish", "French", "German", "Japanese", "Portuguese", "Italian", "Korean")
LANGUAGE_CODES = ("en", "es", "fr", "de", "ja", "pt", "it", "ko")
COLORS = ("red", "blue", "green", "black", "white", "silver", "orange", "purple")
UNITS = ("celsius", "fahrenheit", "metric", "imperial", "kg", "km", "miles")
# the units of a quantity, by the words that name it: a charge is in coulombs, never in km
_UNITS_OF = (
    ("temperature temp weather forecast", ("celsius", "fahrenheit")),
    ("charge", ("coulombs", "elementary charges")),
    ("area", ("square meters", "square feet", "acres")),
    ("volume capacity", ("liters", "gallons", "milliliters")),
    ("density", ("kg/m3", "g/cm3")),
    ("speed velocity", ("km/h", "mph", "m/s")),
    ("distance length radius diameter height width depth altitude elevation perimeter circumference dimensions route",
     ("km", "miles", "meters", "feet")),
    ("weight mass", ("kg", "pounds", "grams")),
    ("energy heat", ("joules", "calories", "kWh")),
    ("pressure", ("kPa", "atm", "psi")),
    ("time duration delay interval", ("seconds", "minutes", "hours")),
    ("power", ("watts", "kilowatts")),
    ("force", ("newtons",)),
    ("voltage", ("volts",)),
    ("current", ("amperes",)),
    ("resistance", ("ohms",)),
    ("frequency", ("hertz",)),
    ("angle slope gradient", ("degrees", "radians")),
    ("portion ingredient recipe cooking", ("grams", "cups", "tablespoons")),
    ("file storage memory data", ("MB", "GB")),
)
UNITS_BY_QUANTITY = tuple((frozenset(words.split()), units) for words, units in _UNITS_OF)
CATEGORIES = ("electronics", "books", "groceries", "sports", "travel", "health", "finance", "music", "home")
STATUSES = ("active", "pending", "completed", "open", "closed", "approved")
DOMAINS = ("example.com", "example.org", "mail.example.net", "contoso.io", "northwind.dev")
URL_PATHS = ("docs", "reports", "products", "blog", "api", "files", "images", "events")
FILE_STEMS = ("report", "notes", "budget", "summary", "draft", "invoice", "photo", "data", "backup", "plan")
FILE_EXTENSIONS = ("txt", "csv", "pdf", "json", "md", "png", "docx")
FOLDERS = ("documents", "projects", "archive", "photos", "workspace", "downloads", "reports")
ADJECTIVES = ("quick", "quiet", "bright", "steady", "fresh", "clever", "gentle", "bold", "calm", "vivid")
NOUNS = ("river", "harbor", "meadow", "signal", "lantern", "summit", "orchard", "canyon", "beacon", "forest")
MESSAGES = (
    "Running ten minutes late", "Meeting moved to Thursday", "Please review the draft",
    "Lunch at noon works for me", "The package has arrived", "Happy birthday",
    "Can we reschedule our call", "The build is green again",
)
TITLES = (
    "Quarterly Review", "Team Offsite Plan", "Release Notes", "Weekly Sync", "Product Launch",
    "Budget Proposal", "Onboarding Checklist", "Research Summary",
)
AIRPORTS = ("SFO", "JFK", "LHR", "CDG", "NRT", "LAX", "ORD", "SEA", "BOS", "MAD", "FRA", "AMS")
DISHES = ("pad thai", "margherita pizza", "chicken curry", "caesar salad", "ramen", "falafel wrap", "paella")
INGREDIENTS = ("tomatoes", "garlic", "basil", "chickpeas", "spinach", "rice", "lemon", "mushrooms")
ANIMALS = ("golden retriever", "tabby cat", "red fox", "bald eagle", "sea turtle", "koala")
# real sportsbooks: an odds record's bookmaker is one of these, never "Johnson Bookmaker"
BOOKMAKERS = ("DraftKings", "FanDuel", "BetMGM", "Caesars", "William Hill", "Bet365", "Pinnacle", "Unibet",
              "Betfair", "PointsBet")
SPORTS_TEAMS = ("Lakers", "Yankees", "Arsenal", "Real Madrid", "Celtics", "Warriors", "Bayern Munich")
MOVIES = ("Inception", "The Matrix", "Casablanca", "Spirited Away", "Interstellar", "Amelie")
BOOKS = ("Dune", "Middlemarch", "Beloved", "The Hobbit", "Moby Dick", "Pride and Prejudice")
MUSICAL_KEYS = ("C major", "G major", "D major", "A minor", "E minor", "F major", "B flat major", "D minor",
                "E flat major", "F sharp minor")
NOTES = ("C4", "D4", "E4", "G3", "A4", "F#4", "B3", "C5")
TIME_SIGNATURES = ("4/4", "3/4", "6/8", "2/4", "5/4", "12/8")
SCALES = ("C major", "A minor", "D dorian", "G mixolydian", "E phrygian", "A minor pentatonic", "F lydian")
SONGS = ("Clair de Lune", "Bohemian Rhapsody", "Imagine", "Yesterday", "Blue in Green", "Hey Jude")
LEAGUES = ("Premier League", "NBA", "La Liga", "Serie A", "Bundesliga", "NFL", "MLB", "NHL", "Ligue 1")
TOURNAMENTS = ("Champions League", "World Cup", "Wimbledon", "US Open", "Tour de France", "Copa America")
SEASONS = ("2021-22", "2022-23", "2023-24", "2024-25")
PLATFORMS = ("iOS", "Android", "Windows", "macOS", "Linux", "PlayStation 5", "Xbox Series X", "Nintendo Switch")
GAMES = ("Minecraft", "Fortnite", "Chess", "Tetris", "Stardew Valley", "Zelda", "Catan")
DATABASES = ("analytics_db", "sales_db", "inventory", "customers", "orders_db")
MATH_FUNCTIONS = ("x**2 + 3*x - 4", "2*x**3 - x", "sin(x)", "x**2", "3*x + 7")
SUBSTANCES = ("caffeine", "ethanol", "sodium chloride", "glucose", "aspirin", "nitrogen")
GASES = ("air", "nitrogen", "oxygen", "carbon dioxide", "helium", "argon", "methane")
MATERIALS = ("steel", "oak wood", "aluminum", "glass", "copper", "concrete")
RELIGIONS = ("Buddhism", "Christianity", "Hinduism", "Islam", "Judaism", "Sikhism")
PURPOSES = ("business travel", "a family vacation", "a school project", "home renovation", "a team offsite")
EVENTS = ("Jazz Festival", "Tech Conference", "Food Fair", "Charity Gala", "Film Festival", "City Marathon")
MODELS = ("Model S", "Corolla", "Civic", "Model 3", "Mustang", "Golf")
MAKES = ("Tesla", "Toyota", "Honda", "Ford", "Volkswagen", "BMW")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
FORMATS = ("json", "csv", "pdf", "xml", "markdown")
SIZES = ("small", "medium", "large")
INSTRUMENTS = ("piano", "violin", "guitar", "cello", "flute", "drums")
SPORTS = ("basketball", "soccer", "tennis", "baseball", "cricket", "hockey")
RESTAURANTS = ("Blue Fin Sushi", "Trattoria Roma", "Green Leaf Cafe", "Taco Fiesta", "The Burger Joint")
MUSEUMS = ("Louvre Museum", "British Museum", "Metropolitan Museum of Art", "Prado Museum", "Rijksmuseum")
COUNTIES = ("Orange County", "King County", "Cook County", "Travis County", "Santa Clara County")
COMMANDS = ("ls -la", "git status", "df -h", "uptime", "pwd")
GENDERS = ("female", "male")
MODES = ("fast", "standard", "detailed", "simple")
LEVELS = ("easy", "medium", "hard")
VERSIONS = ("1.0.0", "2.3.1", "4.1.0", "0.9.2", "3.2")
SPECIALTIES = ("cardiology", "family law", "pediatrics", "tax law", "dermatology", "immigration law")
DIETS = ("vegan", "vegetarian", "keto", "gluten-free", "paleo")
PLANETS = ("Mars", "Jupiter", "Venus", "Saturn", "Mercury", "Neptune")
CONDITIONS = ("sunny", "rainy", "cloudy", "snowy", "windy")
EXCHANGES = ("NASDAQ", "NYSE", "LSE", "TSE")
SHAPES = ("circle", "square", "triangle", "rectangle")
ACCOUNTS = ("checking", "savings", "ACC-20417", "ACC-55102")
SUITS = ("hearts", "spades", "diamonds", "clubs")
