//! A place's country: a capital keeps its own country when the text names another country that has a
//! small town of the same name.

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
