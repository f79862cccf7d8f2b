//! A place's country: a capital or a city of a million keeps its own country when the text names
//! another country that has a small town of the same name, or when a small town bears the spelling the
//! text uses.

use newsx::{Article, Engine};

fn country_of(text: &str, name: &str) -> Option<String> {
    let engine = Engine::new().expect("engine");
    let record = engine.extract(Article::new("t", "t.txt", text));
    record
        .entities
        .iter()
        .find(|e| e.name == name)
        .and_then(|e| e.country.clone())
}

#[test]
fn capitals_do_not_yield_to_small_homonym_towns() {
    let text = "US strikes hit militias in Iraq and Syria\n\nThe United States struck militia \
                positions in Iraq and Syria on Sunday, the Pentagon said. Foreign ministers \
                meeting in Rome and Vienna discussed the strikes on Monday.\n";
    assert_eq!(country_of(text, "Rome").as_deref(), Some("IT"));
    assert_eq!(country_of(text, "Vienna").as_deref(), Some("AT"));
}

#[test]
fn large_cities_keep_their_country_under_a_variant_spelling() {
    // The Ukrainian city's gazetteer name is "Odesa"; a Texan town is called "Odessa".
    for text in [
        "Russian missiles hit Odessa\n\nA Russian missile attack on Odessa killed 12 people on \
         Wednesday, the regional governor said.\n",
        "Raketenangriff auf Odessa\n\nBei einem russischen Angriff auf Odessa sind zwölf Menschen \
         getötet worden, teilte der Gouverneur am Mittwoch mit.\n",
    ] {
        assert_eq!(country_of(text, "Odesa").as_deref(), Some("UA"), "{text}");
    }
}
