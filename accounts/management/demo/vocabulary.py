"""Words the demo network is made of: names, bios, what the photos show and what people say."""

from dataclasses import dataclass

FIRST_NAMES = [
    "Aisha", "Ben", "Carla", "Dmitri", "Elena", "Felix", "Grace", "Hugo", "Ines", "Jonas",
    "Kenji", "Lena", "Mateo", "Nadia", "Oscar", "Priya", "Quentin", "Rosa", "Samir", "Tara",
    "Umar", "Vera", "Wes", "Ximena", "Yusuf", "Zoe", "Amara", "Bruno", "Chloe", "Diego",
    "Emil", "Freya", "Gabriel", "Hana", "Ivan", "Julia", "Kofi", "Lucia", "Marta", "Noah",
    "Olga", "Pablo", "Rhea", "Stefan", "Tomas", "Uma", "Victor", "Wanda", "Yara", "Zane",
]  # fmt: skip
LAST_NAMES = [
    "Abbott", "Berg", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad", "Ito",
    "Jensen", "Kowalski", "Larsen", "Moreau", "Nakamura", "Okafor", "Petrov", "Quinn", "Rossi",
    "Silva", "Tanaka", "Urban", "Varga", "Weber", "Xu", "Yilmaz", "Zimmer", "Alves", "Brandt",
    "Castillo", "Novak", "Mendes", "Lindgren", "Kaur", "Horvat", "Santos", "Olsen",
]  # fmt: skip
BIOS = [
    "Chasing light, mostly before breakfast.",
    "Coffee first. Photos second.",
    "Film at heart, phone in pocket.",
    "Weekend hiker, weekday designer.",
    "Lisbon → Berlin → wherever the train goes.",
    "Small things, good light.",
    "Collecting sunsets since 2009.",
    "Architecture nerd. Opinions on concrete.",
    "I photograph my lunch so you don't have to.",
    "Mountains > beaches. Fight me.",
    "Amateur botanist, professional plant killer.",
    "Night walks and neon.",
    "",
    "",
    "",
]
GENERAL_TAGS = ["photography", "weekend", "shotonphone", "nofilter", "latergram", "daily"]
COMMENTS = [
    "Love this!",
    "Wow, the colours 😍",
    "Where is this?",
    "Stunning shot.",
    "This is my favourite of yours.",
    "Need to go there.",
    "So calm.",
    "That light though!",
    "Great composition.",
    "Take me with you next time 🙏",
    "Frame-worthy.",
    "Okay this is beautiful.",
    "How do you always find these spots?",
    "🔥🔥🔥",
    "Wallpaper material.",
]
REPLIES = ["Thank you @{name}!", "@{name} thanks, it was a lucky morning.", "@{name} next time!"]


@dataclass(frozen=True)
class Scene:
    """A kind of photo the demo can paint, and how people caption it."""

    name: str
    alt: str
    captions: tuple
    tags: tuple


SCENES = [
    Scene(
        "sunset",
        "An orange sun setting behind dark hills",
        ("Golden hour never gets old.", "Chasing the last light.", "Tonight's sky did that."),
        ("sunset", "goldenhour", "sky"),
    ),
    Scene(
        "sea",
        "Calm sea under a pale sky with a small sailboat",
        ("Salt in the air.", "Found my happy place.", "Blue on blue."),
        ("sea", "ocean", "summer"),
    ),
    Scene(
        "mountains",
        "Layered mountain ridges fading into haze",
        ("Up early for this one.", "The climb was worth it.", "Ridge after ridge."),
        ("mountains", "hiking", "outdoors"),
    ),
    Scene(
        "city",
        "City skyline at night with lit windows",
        ("The city never really sleeps.", "Night walk.", "Lights on, world off."),
        ("cityscape", "nightlights", "urban"),
    ),
    Scene(
        "coffee",
        "A cup of coffee with latte art on a wooden table",
        ("Fuel.", "Slow morning.", "Best flat white in town."),
        ("coffee", "breakfast", "foodie"),
    ),
    Scene(
        "forest",
        "Rows of pine trees in a misty forest",
        ("Into the woods.", "Breathing in the green.", "Forest bathing, apparently."),
        ("forest", "nature", "trees"),
    ),
    Scene(
        "flowers",
        "Bright flowers against green leaves",
        ("Spring is showing off.", "Picked nothing, photographed everything.", "Petals."),
        ("flowers", "garden", "spring"),
    ),
    Scene(
        "dunes",
        "Sand dunes under a hot sun",
        ("Nothing but sand for miles.", "Desert quiet.", "Shapes of the wind."),
        ("desert", "travel", "wanderlust"),
    ),
]
