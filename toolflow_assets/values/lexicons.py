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
# a language's ISO 639-1 code by its name: a translator takes either (values.known_things.translated)
LANGUAGE_CODE_OF = {"spanish": "es", "french": "fr", "german": "de", "italian": "it", "portuguese": "pt",
                    "english": "en", "hindi": "hi", "japanese": "ja", "chinese": "zh", "mandarin": "zh",
                    "korean": "ko"}
LANGUAGE_CODES = tuple(LANGUAGE_CODE_OF[language.lower()] for language in LANGUAGES)  # the codes of LANGUAGES
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
# a file's name and the extensions that suit what it holds: a photo is a .jpg, never a .docx
FILE_KINDS = (("report", ("pdf", "docx", "txt", "md")), ("notes", ("txt", "md")), ("budget", ("csv", "xlsx")),
              ("summary", ("txt", "md", "pdf")), ("draft", ("docx", "md", "txt")), ("invoice", ("pdf",)),
              ("photo", ("jpg", "png")), ("data", ("csv", "json")), ("backup", ("zip",)), ("plan", ("md", "txt")),
              ("todo", ("txt", "md")), ("server", ("log",)), ("config", ("json", "yaml")), ("results", ("csv", "json")),
              ("meeting_notes", ("md", "txt")), ("readme", ("md",)), ("contacts", ("csv",)), ("errors", ("log",)))
FILE_QUALIFIERS = ("", "", "", "_2024", "_final", "_v2", "_q3", "_old", "_draft", "_march")
TEXT_EXTENSIONS = frozenset({"txt", "md", "csv", "log", "json", "yaml"})  # what a shell's cat, grep and wc read
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
# real cocktails with what goes in them and how they are made: a cocktail record names one of these, and its
# ingredients and steps are that cocktail's (values.known_records)
COCKTAILS = (
    ("Mojito", ("2 oz white rum", "1 oz fresh lime juice", "2 tsp sugar", "8 fresh mint leaves", "soda water"),
     ("Muddle the mint leaves with the sugar and lime juice in a highball glass.",
      "Add the rum and fill the glass with crushed ice.", "Top up with soda water and stir gently.")),
    ("Margarita", ("2 oz blanco tequila", "1 oz triple sec", "1 oz fresh lime juice", "coarse salt", "ice"),
     ("Rub the rim of a glass with lime and dip it in salt.", "Shake the tequila, triple sec and lime juice with ice.",
      "Strain into the glass over fresh ice.")),
    ("Old Fashioned", ("2 oz bourbon", "1 sugar cube", "2 dashes Angostura bitters", "1 tsp water", "orange peel"),
     ("Muddle the sugar cube with the bitters and water in a rocks glass.", "Add a large ice cube and the bourbon.",
      "Stir well and garnish with the orange peel.")),
    ("Negroni", ("1 oz gin", "1 oz Campari", "1 oz sweet vermouth", "orange slice", "ice"),
     ("Pour the gin, Campari and vermouth into a mixing glass with ice.", "Stir until well chilled.",
      "Strain over fresh ice and garnish with the orange slice.")),
    ("Daiquiri", ("2 oz white rum", "1 oz fresh lime juice", "0.75 oz simple syrup", "lime wheel", "ice"),
     ("Add the rum, lime juice and syrup to a shaker with ice.", "Shake hard for about ten seconds.",
      "Strain into a chilled coupe and garnish with the lime wheel.")),
    ("Moscow Mule", ("2 oz vodka", "0.5 oz fresh lime juice", "4 oz ginger beer", "lime wedge", "ice"),
     ("Fill a copper mug with ice.", "Add the vodka and lime juice.", "Top with ginger beer and garnish with the lime wedge.")),
    ("Whiskey Sour", ("2 oz bourbon", "0.75 oz fresh lemon juice", "0.75 oz simple syrup", "1 egg white", "ice"),
     ("Dry shake the bourbon, lemon juice, syrup and egg white.", "Add ice and shake again until cold.",
      "Strain into a rocks glass over fresh ice.")),
    ("Cosmopolitan", ("1.5 oz citrus vodka", "1 oz Cointreau", "0.5 oz fresh lime juice", "1 oz cranberry juice",
                      "orange twist"),
     ("Shake the vodka, Cointreau, lime and cranberry juice with ice.", "Strain into a chilled martini glass.",
      "Garnish with the orange twist.")),
    ("Pina Colada", ("2 oz white rum", "1.5 oz cream of coconut", "1.5 oz pineapple juice", "0.5 oz lime juice",
                     "pineapple wedge"),
     ("Blend the rum, cream of coconut and juices with a cup of ice.", "Pour into a chilled hurricane glass.",
      "Garnish with the pineapple wedge.")),
    ("Espresso Martini", ("2 oz vodka", "1 oz coffee liqueur", "1 oz fresh espresso", "0.5 oz simple syrup",
                          "3 coffee beans"),
     ("Pull a shot of espresso and let it cool slightly.", "Shake the vodka, liqueur, espresso and syrup hard with ice.",
      "Strain into a chilled coupe and float the coffee beans on the foam.")),
    ("Aperol Spritz", ("3 oz prosecco", "2 oz Aperol", "1 oz soda water", "orange slice", "ice"),
     ("Fill a wine glass with ice.", "Add the prosecco, then the Aperol.",
      "Top with soda water and garnish with the orange slice.")),
    ("Dark and Stormy", ("2 oz dark rum", "3 oz ginger beer", "0.5 oz lime juice", "lime wedge", "ice"),
     ("Fill a highball glass with ice and add the ginger beer.", "Float the dark rum on top.",
      "Squeeze in the lime and garnish with the wedge.")),
)
# listed companies by ticker, with the price range their shares trade in: a price bar or a short interest
# figure of AAPL is Apple's and of its size (execution.meant_results)
STOCKS = {
    "AAPL": ("Apple Inc.", 170, 235), "MSFT": ("Microsoft Corporation", 380, 460),
    "GOOGL": ("Alphabet Inc. Class A", 140, 195), "GOOG": ("Alphabet Inc. Class C", 140, 195),
    "AMZN": ("Amazon.com Inc.", 160, 230), "TSLA": ("Tesla Inc.", 170, 420), "NVDA": ("NVIDIA Corporation", 100, 150),
    "META": ("Meta Platforms Inc.", 450, 620), "IBM": ("International Business Machines", 180, 260),
    "ORCL": ("Oracle Corporation", 120, 190), "INTC": ("Intel Corporation", 19, 35),
    "QCOM": ("Qualcomm Inc.", 150, 210),
}
# searches people type, misspelled as people misspell them, and as a spell checker corrects them
MISSPELLED_SEARCHES = (
    ("teylor swiift", "taylor swift"), ("wether forcast for tomorow", "weather forecast for tomorrow"),
    ("best resturants in chicgo", "best restaurants in chicago"), ("how to mak sourdough bred", "how to make sourdough bread"),
    ("cheep flihgts to lisbon", "cheap flights to lisbon"), ("begginer gitar chords", "beginner guitar chords"),
    ("acommodation in barcelona", "accommodation in barcelona"), ("recieve a pakage abroad", "receive a package abroad"),
    ("definately the best laptop", "definitely the best laptop"), ("nutral colors for a bedrom", "neutral colors for a bedroom"),
)
# searches people type, the suggestions a search box completes a prefix with (the first words of these)
SEARCHES = (
    "how to tie a tie", "how to make cold brew", "how to boil an egg", "how to learn python", "weather in boston",
    "weather in paris tomorrow", "weather in tokyo this week", "best pizza near me", "best pizza in new york",
    "best laptops 2025", "do cats dream", "do i need a visa for japan", "dog friendly hotels", "dollar to euro",
    "taylor swift tour", "taylor swift new album", "flights to lisbon", "flights to tokyo", "cheap flights to london",
    "coffee shops near me", "coffee grinder reviews", "running shoes for beginners", "running a marathon training plan",
)
# who publishes the news articles a news search finds
NEWS_OUTLETS = (("Reuters", "reuters.com"), ("Associated Press", "apnews.com"), ("BBC News", "bbc.com"),
                ("The Guardian", "theguardian.com"), ("Bloomberg", "bloomberg.com"), ("NPR", "npr.org"))
