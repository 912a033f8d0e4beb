"""Varied health-marketing copy for the speed benchmark, generated.

Not the development set (benchmarks/devset/, which the rules were written
against): sentences are built from templates and word lists written for this
file, so a large corpus repeats few whole sentences and the matcher and
parser see the variety of real pages rather than the same 26 documents. About
a quarter of the sentences make a claim (cures, efficacy, safety, statistics,
testimonials, comparisons, endorsements), some hedged, negated, quoted or
reported; the rest is the ordinary copy that surrounds claims on a clinic or
supplement page (opening hours, staff, parking, prices, what to bring).

    from healthgen import generate
    text = generate(200_000, seed=3)     # about 200,000 words, paragraphs joined by blank lines

The words, brands and people are invented; nothing here is taken from a web page.
"""

from __future__ import annotations

import random

CONDITIONS = (
    "arthritis", "chronic pain", "migraines", "back pain", "anxiety", "depression", "insomnia",
    "fibromyalgia", "sciatica", "neuropathy", "eczema", "psoriasis", "acne", "rosacea", "asthma",
    "type 2 diabetes", "high blood pressure", "high cholesterol", "obesity", "joint stiffness",
    "tendonitis", "plantar fasciitis", "tinnitus", "hair loss", "erectile dysfunction", "menopause symptoms",
    "IBS", "acid reflux", "bloating", "fatigue", "brain fog", "memory loss", "ADHD", "PTSD",
    "knee pain", "shoulder pain", "neck pain", "carpal tunnel", "gout", "lupus", "Lyme disease",
    "long COVID", "varicose veins", "cellulite", "wrinkles", "sun damage", "dry eye", "macular degeneration",
    "thyroid problems", "hormone imbalance", "low testosterone", "seasonal allergies", "sinusitis",
    "restless legs", "osteoporosis", "cancer", "Alzheimer's disease", "Parkinson's disease", "autism",
)
PRODUCTS = (
    "turmeric capsules", "CBD oil", "CBD gummies", "collagen powder", "magnesium spray", "red light therapy",
    "infrared sauna sessions", "IV vitamin drips", "ketamine infusions", "stem cell injections", "PRP injections",
    "cold laser treatment", "acupuncture", "cupping", "chiropractic adjustments", "hyperbaric oxygen therapy",
    "peptide injections", "NAD+ infusions", "detox tea", "probiotic blend", "ashwagandha tablets",
    "elderberry syrup", "mushroom coffee", "shockwave therapy", "cryotherapy", "ozone therapy",
    "compression sleeves", "weight loss injections", "semaglutide program", "hormone pellets", "herbal tincture",
)
BRAND_PARTS = ("Vita", "Nova", "Pure", "Zen", "Flex", "Calm", "Vital", "Thera", "Bio", "Luma", "Aura", "Core",
               "Sana", "Revi", "Opti", "Verde", "Soma", "Nutri", "Elixa", "Prima")
BRAND_TAILS = ("ra", "lux", "well", "gen", "life", "flow", "cure", "ease", "vive", "leaf", "max", "medix")
TOWNS = ("Ashford", "Brookvale", "Cedar Falls", "Dunmore", "Elmwood", "Fairhaven", "Glenrock", "Harlow",
         "Ivybridge", "Juniper Bay", "Kingsmere", "Lakeside", "Millbrook", "Northgate", "Oakridge", "Pinecrest")
FIRST = ("Maria", "James", "Aisha", "Tom", "Priya", "Daniel", "Sofia", "Kwame", "Linda", "Chen", "Grace",
         "Omar", "Hannah", "Luis", "Fatima", "Peter", "Yuki", "Rosa", "Ibrahim", "Claire")
LAST = ("Okafor", "Lindqvist", "Moreau", "Castillo", "Brennan", "Haddad", "Novak", "Sato", "Ferreira",
        "Whitfield", "Kowalski", "Abara", "Delgado", "Ingram", "Romano", "Tanaka")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
DURATIONS = ("two weeks", "ten days", "a month", "six weeks", "three sessions", "one treatment", "48 hours",
             "seven days", "90 days", "a single visit")
BODY = ("joints", "skin", "gut", "brain", "immune system", "liver", "heart", "muscles", "nerves", "hormones")
ADJ = ("natural", "gentle", "advanced", "clinically studied", "premium", "plant-based", "award-winning",
       "doctor-formulated", "organic", "innovative", "non-invasive", "holistic")
VERBS_CURE = ("cures", "reverses", "eliminates", "heals", "ends", "eradicates", "gets rid of", "wipes out")
VERBS_HELP = ("relieves", "treats", "eases", "reduces", "soothes", "fights", "calms", "improves", "alleviates")
HEDGES = ("may help", "might ease", "could support", "can sometimes relieve", "is being studied for",
          "has been explored as an option for")
REPORTERS = ("Some patients say", "Many customers tell us", "Early studies suggest", "A 2019 review found",
             "Researchers have reported", "Our clients often mention")

CLAIMS = (
    "Our {product} {cure} {condition} for good.",
    "{Brand} {cure} {condition} in just {duration}.",
    "{Brand} {help} {condition} naturally.",
    "We successfully treat {condition} and {condition2} without surgery or drugs.",
    "Our {adj} {product} {help} {condition} and restores your {body}.",
    "{Brand} is 100% safe, with no side effects.",
    "Our {product} are completely safe for everyone, including children and pregnant women.",
    "Because it is {adj}, {Brand} is totally safe.",
    "{pct}% of patients saw results after {duration}.",
    "In our study, {pct}% of users reported less {condition} within {duration}.",
    "Clinically proven to reduce {condition} by {pct}%.",
    "{Brand} works better than prescription medication for {condition}.",
    "Our {product} are more effective than painkillers.",
    "Doctors recommend {Brand} for {condition}.",
    "The doctor-recommended answer to {condition}.",
    "Guaranteed results in {duration}, or your money back.",
    "{Brand} works for everyone, no matter how long you have had {condition}.",
    "\"After {duration} of {product}, my {condition} was gone,\" says {first} from {town}.",
    "\"I threw away my pills,\" says {first} {last}. \"{Brand} fixed my {condition}.\"",
    "Say goodbye to {condition} forever.",
    "The only treatment that targets the root cause of {condition}.",
    "Boost your {body} and prevent {condition} with {Brand}.",
    "{Brand} detoxifies your {body} and flushes out the toxins behind {condition}.",
    "FDA approved {product} for {condition}.",
    "A miracle breakthrough for {condition}.",
    "Our {product} regenerate damaged tissue and repair your {body}.",
    "Lose {number} pounds in {duration} without diet or exercise.",
    "Stop suffering from {condition} today.",
)
HEDGED = (
    "{Brand} {hedge} {condition}, although results vary.",
    "{reporter} that {product} {hedge} {condition}.",
    "Some people find that {product} {hedge} mild {condition}; talk to your doctor first.",
    "{product_cap} {hedge} {condition} in some adults, but more research is needed.",
    "It is not a cure for {condition}, and it will not fix the underlying cause.",
    "{product_cap} does not cure {condition}.",
    "No treatment works for everyone, and {product} are no exception.",
    "Can {product} help with {condition}?",
    "Is {Brand} safe to take with other medicines?",
    "Results are not guaranteed and depend on the person.",
)
ORDINARY = (
    "Our {town} clinic is open from {hour} to {hour2} on {day} and {day2}.",
    "Parking is free behind the building on {street}.",
    "Appointments last about {minutes} minutes, and you can book online or by phone.",
    "Please bring a list of the medicines you take and any recent test results.",
    "{first} {last} joined our team in {year} after {years} years in {town}.",
    "Each bottle holds {count} capsules, enough for {days} days.",
    "Shipping is free on orders over ${price}, and most parcels arrive within {days} days.",
    "A first consultation costs ${price}; follow-up visits cost ${price2}.",
    "We accept most major cards, and payment plans are available.",
    "The waiting room has step-free access and a children's corner.",
    "Store the {product} in a cool, dry place away from sunlight.",
    "Take two capsules a day with food, or as your practitioner advises.",
    "{first} handles bookings and can answer questions about prices.",
    "Our newsletter goes out on the first {day} of each month.",
    "Gift cards are available at the front desk in amounts from ${price}.",
    "The {town} branch moved to a larger building on {street} in {year}.",
    "You will fill in a short health questionnaire before your first visit.",
    "Wear loose, comfortable clothing to your session.",
    "If you need to cancel, please let us know {hours} hours ahead.",
    "Every batch is tested by an independent laboratory in {town}.",
    "The ingredients are listed in full on the back of each pack.",
    "Our staff speak English, Spanish and {language}.",
    "We are closed on public holidays and the week between Christmas and New Year.",
    "Read our guide to preparing for your first appointment.",
    "Follow us for news about events at the {town} centre.",
    "Talk to your doctor before starting any new supplement.",
    "These statements have not been evaluated by the Food and Drug Administration.",
    "This page is for information only and is not medical advice.",
    "{first} {last} is a registered nurse with {years} years of experience.",
    "Sessions take place in a quiet room with adjustable lighting.",
    "The {product} come in {count}-day and {days}-day supplies.",
    "Returns are accepted within {days} days if the seal is unbroken.",
)
HEADINGS = (
    "# {Brand} {product_cap}", "## About our {town} clinic", "## How {product} work", "## What to expect",
    "## Prices and booking", "## Frequently asked questions", "## Meet the team", "## Why choose {Brand}?",
    "## Living with {condition}", "## Stories from our patients",
)
# Prefixed or appended to about half of the sentences so that whole sentences
# rarely repeat (as on real pages).
OPENERS = ("As always, ", "This season, ", "For new patients, ", "Good to know: ", "In {town}, ", "Since {year}, ",
           "Just so you know, ", "According to our team, ", "At {Brand}, ", "On weekdays, ", "Honestly, ",
           "For {first}'s family, ", "Like many of our readers, ", "Once again, ")
CLOSERS = (" Ask {first} for details.", " See our {town} page for more.", " Call us on {day} if unsure.",
           " Thanks for reading.", " More on this below.", " Terms apply.", " ({first} {last}, {year})",
           " Details are in our {year} brochure.", " We update this page every {day}.")
STREETS = ("Mill Lane", "Station Road", "Church Street", "Harbour View", "Elm Avenue", "Park Crescent", "High Street")
LANGUAGES = ("Polish", "Portuguese", "Arabic", "Mandarin", "Hindi", "French", "Tagalog")


def _fill(template: str, rng: random.Random) -> str:
    product = rng.choice(PRODUCTS)
    first, second = rng.sample(CONDITIONS, 2)
    values = {
        "product": product, "product_cap": product[0].upper() + product[1:],
        "condition": first, "condition2": second,
        "Brand": rng.choice(BRAND_PARTS) + rng.choice(BRAND_TAILS),
        "cure": rng.choice(VERBS_CURE), "help": rng.choice(VERBS_HELP), "hedge": rng.choice(HEDGES),
        "reporter": rng.choice(REPORTERS), "adj": rng.choice(ADJ), "body": rng.choice(BODY),
        "duration": rng.choice(DURATIONS), "pct": rng.randint(60, 99), "number": rng.randint(5, 40),
        "first": rng.choice(FIRST), "last": rng.choice(LAST), "town": rng.choice(TOWNS),
        "day": rng.choice(DAYS), "day2": rng.choice(DAYS), "hour": f"{rng.randint(7, 10)} am",
        "hour2": f"{rng.randint(4, 8)} pm", "street": rng.choice(STREETS), "minutes": rng.choice((20, 30, 45, 60, 90)),
        "year": rng.randint(2005, 2024), "years": rng.randint(3, 30), "count": rng.choice((30, 60, 90, 120)),
        "days": rng.choice((3, 5, 7, 14, 30, 60)), "price": rng.choice((25, 40, 50, 75, 99, 120, 150)),
        "price2": rng.choice((20, 35, 60, 80)), "hours": rng.choice((12, 24, 48)), "language": rng.choice(LANGUAGES),
    }
    return template.format(**values)


def _sentence(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.18:
        sentence = _fill(rng.choice(CLAIMS), rng)
    elif roll < 0.26:
        sentence = _fill(rng.choice(HEDGED), rng)
    else:
        sentence = _fill(rng.choice(ORDINARY), rng)
    if rng.random() < 0.35 and sentence[0].isupper() and not sentence.startswith(("FDA", "IBS", "CBD", "PRP", "NAD", "IV ")):
        sentence = _fill(rng.choice(OPENERS), rng) + sentence[0].lower() + sentence[1:]
    if rng.random() < 0.25:
        sentence += _fill(rng.choice(CLOSERS), rng)
    return sentence


def generate(words: int, seed: int = 3) -> str:
    """About `words` words of varied copy, as paragraphs and headings
    separated by blank lines (the same text for the same arguments)."""
    rng = random.Random(seed)
    blocks: list[str] = []
    count = 0
    while count < words:
        if rng.random() < 0.12:
            block = _fill(rng.choice(HEADINGS), rng)
        elif rng.random() < 0.1:
            block = "\n".join("- " + _sentence(rng) for _ in range(rng.randint(2, 5)))
        else:
            block = " ".join(_sentence(rng) for _ in range(rng.randint(2, 6)))
        blocks.append(block)
        count += len(block.split())
    return "\n\n".join(blocks) + "\n"
