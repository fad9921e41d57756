#!/usr/bin/env python3
"""Write N synthetic product reviews as JSONL, deterministic for a seed.

    python3 bench/generate_reviews.py N OUT.jsonl [--seed S]

Each line is one JSON object with the fields id, product, rating (1-5), title, text
and lang. Lines average about 235 bytes of UTF-8. The text is meant to be awkward for
a parser: accents, CJK, emoji (outside the BMP), double quotes, backslashes and
embedded newlines, all escaped as JSON requires; non-ASCII is written as raw UTF-8.
Standard library only.
"""

import argparse
import json
import random
import sys

BRANDS = ["Acme", "Nordlys", "Kōbō", "Zephyr", "Müller & Söhne", "Lumière", "Tōkai",
          "Brightline", "Ñandú", "Orbit", "Vega", "Hanami", "Fjäll", "Quokka", "Sól"]
ITEMS = ["wireless earbuds", "espresso machine", "trail running shoes", "desk lamp",
         "mechanical keyboard", "backpack 28L", "rice cooker", "yoga mat", "e-reader",
         "cast-iron pan", "USB-C hub", "rain jacket", "electric kettle", "phone case",
         "air purifier", "standing desk", "water bottle", "webcam", "thermos 0,5 l",
         "noise-cancelling headphones", "smart plug", "chef's knife", "bike light"]
MODELS = ["", "", " Pro", " Mini", " 2", " X", " Lite", " Max", " S", " (2024)", ' 15"']

# Sentences by language and sentiment (0 negative, 1 neutral, 2 positive). Some carry
# quotes, backslashes or emoji on purpose.
SENTENCES = {
    "en": (
        ["Stopped working after two weeks.", "The battery barely lasts a morning 😞.",
         'Support told me to "just reset it" — three times.', "Arrived scratched and the box was crushed.",
         "Way too loud; the fan whines constantly.", "Returned it. Not worth the money 👎.",
         "Manual path says C:\\Program Files\\Acme\\setup.exe but there is no such file.",
         "Cheap plastic, creaks when you touch it."],
        ["It does what it says, nothing more.", "Shipping took eight days.",
         "Setup was OK once I found the right app.", 'The "medium" size runs a bit large.',
         "Average build quality for the price.", "Color is slightly different from the photos.",
         "Works fine, though the cable is short."],
        ["Absolutely love it! ❤️", "Best purchase this year, hands down.",
         'My partner calls it "the good one" now 😂.', "Quiet, fast and looks great on the desk.",
         "Battery lasts all week \\o/", "Exceeded my expectations 👍👍",
         "Solid build, great value, would buy again.", "Five stars — the coffee is café-quality ☕."],
    ),
    "de": (
        ["Nach zwei Wochen kaputt.", "Der Akku hält kaum einen Vormittag.",
         "Völlig überteuert für diese Qualität.", 'Der "Kundenservice" antwortet nicht.'],
        ["Funktioniert, aber nichts Besonderes.", "Lieferung dauerte etwas länger.",
         "Größe fällt etwas klein aus."],
        ["Super Qualität, sehr zufrieden! 👍", "Schöne Verarbeitung, gerne wieder.",
         "Läuft leise und zuverlässig — Top!", "Für den Preis unschlagbar."],
    ),
    "fr": (
        ["Cassé après une semaine.", "Très déçu, ça ne marche pas du tout 😡.",
         "Le « mode silencieux » est tout sauf silencieux.", 'On m\'a dit "c\'est normal"…'],
        ["Correct, sans plus.", "Livraison un peu lente.", "La notice est en anglais seulement."],
        ["Génial, je recommande ! 😍", "Très bonne qualité, prix honnête.",
         "Parfait pour le café du matin ☕.", "Élégant et très pratique."],
    ),
    "es": (
        ["Dejó de funcionar a los diez días.", "Muy mala calidad, no lo recomiendo 👎.",
         'El "cargador rápido" tarda tres horas.'],
        ["Cumple, pero nada más.", "El envío tardó una semana.", "Tamaño un poco pequeño."],
        ["¡Me encanta! Funciona de maravilla 🎉", "Excelente relación calidad-precio.",
         "Muy cómodo y bonito, lo volvería a comprar."],
    ),
    "ja": (
        ["二週間で壊れました。", "バッテリーがすぐに切れます😢", "説明書が分かりにくい。"],
        ["普通です。値段相応。", "配送に少し時間がかかりました。", "色は写真と少し違います。"],
        ["とても満足しています！✨", "音が静かで使いやすいです。", "デザインが可愛い😊 また買います。"],
    ),
    "zh": (
        ["用了两周就坏了。", "质量太差，不推荐 👎", "客服说\"重启一下\"，没用。"],
        ["一般般，价格还行。", "快递有点慢。", "和图片颜色略有不同。"],
        ["非常好用，强烈推荐！👍", "做工精致，物超所值。", "很安静，续航也很棒 🔋"],
    ),
    "pt": (
        ["Parou de funcionar em uma semana.", "Péssimo, não recomendo 😤."],
        ["É razoável, nada demais.", "A entrega demorou."],
        ["Ótimo produto, recomendo! 😄", "Qualidade excelente, chegou rápido."],
    ),
}
TITLES = {
    "en": (["Disappointed", "Do not buy", "Broke quickly", 'Not "premium" at all'],
           ["OK for the price", "Mixed feelings", "Does the job"],
           ["Love it!", "Great value", "Exactly what I needed 🙌", "Brilliant"]),
    "de": (["Enttäuscht", "Finger weg"], ["Geht so", "In Ordnung"], ["Sehr gut!", "Klasse Gerät"]),
    "fr": (["Déçu", "À éviter"], ["Moyen", "Correct"], ["Très bien !", "Génial"]),
    "es": (["Decepcionado", "No lo compren"], ["Regular", "Aceptable"], ["¡Excelente!", "Muy bueno"]),
    "ja": (["残念", "おすすめしません"], ["普通", "まあまあ"], ["最高！", "大満足"]),
    "zh": (["失望", "别买"], ["一般", "还行"], ["很好！", "超值"]),
    "pt": (["Decepcionante"], ["Razoável"], ["Muito bom!"]),
}
# Weighted toward English, as review corpora usually are.
LANGS = ["en"] * 12 + ["de", "de", "fr", "fr", "es", "es", "ja", "zh", "pt"]
# Ratings 1..5 skewed positive like real shops: 10 %, 7 %, 12 %, 28 %, 43 %.
RATINGS = [1] * 10 + [2] * 7 + [3] * 12 + [4] * 28 + [5] * 43
SENTENCE_COUNTS = (1, 2, 2, 3, 3, 3, 4, 5)
BATCH = 10_000


def sentiment(rating):
    return 0 if rating <= 2 else (1 if rating == 3 else 2)


def title_case(words):
    return " ".join(w[:1].upper() + w[1:] for w in words.split(" "))


def product_names(rng):
    names = [f"{b} {title_case(i) if rng.random() < 0.5 else i}{m}"
             for b in BRANDS for i in ITEMS for m in MODELS]
    rng.shuffle(names)
    return names


def review_text(rng, sentences, mood):
    own = sentences[mood]
    parts = rng.sample(own, min(rng.choice(SENTENCE_COUNTS), len(own)))
    if mood != 1 and rng.random() < 0.25:  # a mixed opinion
        parts.insert(rng.randrange(len(parts) + 1), rng.choice(sentences[1]))
    text = " ".join(parts)
    roll = rng.random()
    if roll < 0.18:  # a second paragraph
        text += "\n\n" + rng.choice(own)
    elif roll < 0.28:  # a short list, as people paste them
        text += "\n- " + rng.choice(own) + "\n- " + rng.choice(sentences[1])
    return text


def records(n, seed):
    rng = random.Random(seed)
    products = product_names(rng)
    width = max(7, len(str(n)))
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    for i in range(1, n + 1):
        lang = rng.choice(LANGS)
        rating = rng.choice(RATINGS)
        mood = sentiment(rating)
        yield dumps({
            "id": f"r-{i:0{width}d}",
            "product": rng.choice(products),
            "rating": rating,
            "title": rng.choice(TITLES[lang][mood]),
            "text": review_text(rng, SENTENCES[lang], mood),
            "lang": lang,
        })


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int, help="number of records")
    ap.add_argument("out", help="output JSONL file ('-' for stdout)")
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args(argv)
    if args.n < 0:
        ap.error("N must be >= 0")
    out = sys.stdout.buffer if args.out == "-" else open(args.out, "wb")
    try:
        chunk = []
        for line in records(args.n, args.seed):
            chunk.append(line)
            if len(chunk) == BATCH:
                out.write(("\n".join(chunk) + "\n").encode("utf-8"))
                chunk.clear()
        if chunk:
            out.write(("\n".join(chunk) + "\n").encode("utf-8"))
    finally:
        if out is not sys.stdout.buffer:
            out.close()


if __name__ == "__main__":
    main()
