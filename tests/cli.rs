//! End-to-end tests of the `newsx` binary: inputs, encodings, errors and exit status (SPEC.md).

use std::fs;
use std::io::Write;
use std::process::{Command, Stdio};

use assert_cmd::cargo::CommandCargoExt;
use serde_json::Value;
use tempfile::TempDir;

fn newsx() -> Command {
    Command::cargo_bin("newsx").expect("binary built")
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str], stdin: Option<&[u8]>) -> Out {
    let mut cmd = newsx();
    cmd.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn newsx");
    {
        let mut input = child.stdin.take().expect("stdin");
        if let Some(bytes) = stdin {
            input.write_all(bytes).expect("write stdin");
        }
    }
    let out = child.wait_with_output().expect("wait");
    let o = Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    if std::env::var_os("NEWSX_TEST_VERBOSE").is_some() {
        eprintln!("newsx {args:?} -> {}\n{}\n{}", o.code, o.stdout, o.stderr);
    }
    o
}

fn records(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

const FRENCH: &str = "Attaque meurtrière dans le nord du pays\n\nAu moins sept personnes ont été tuées lundi dans l'attaque d'un marché, a indiqué la préfecture. Les secours étaient encore sur place dans la soirée, selon les autorités locales, qui ont évoqué une situation très difficile pour les habitants.\n";
const ARABIC: &str = "هجوم على سوق في شمال البلاد\n\nقتل سبعة أشخاص على الأقل يوم الاثنين في هجوم استهدف سوقا شعبيا في شمال البلاد، بحسب ما أفادت مصادر أمنية. وقالت السلطات المحلية إن فرق الإسعاف نقلت الجرحى إلى المستشفيات القريبة.\n";

#[test]
fn seeds_give_five_english_records_with_headlines_and_dates() {
    let out = run(&["extract", "fixtures/seeds"], None);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let recs = records(&out.stdout);
    assert_eq!(recs.len(), 5);
    for r in &recs {
        assert_eq!(r["newsx"], "1");
        assert_eq!(r["language"]["code"], "en");
    }
    assert_eq!(recs[0]["published"], "2021-06-28");
    assert_eq!(recs[2]["published"], "2021-08-03");
    assert!(recs[1]["published"].is_null());
    assert!(
        recs[0]["title"].is_null(),
        "000 opens with a sentence, not a headline"
    );
    assert_eq!(
        recs[3]["title"],
        "US top diplomat says strikes on pro-Iran groups send strong message"
    );
    assert!(
        recs[2]["title"]
            .as_str()
            .unwrap_or("")
            .starts_with("American strikes against pro-Iran militias"),
        "002's headline comes after its dateline"
    );
}

#[test]
fn missing_file_is_reported_and_the_batch_goes_on() {
    let out = run(
        &[
            "extract",
            "fixtures/seeds/000_1bb18b833c1b86b5.txt",
            "no/such/file.txt",
            "fixtures/seeds/001_2fc57e07c3252072.txt",
        ],
        None,
    );
    assert_eq!(out.code, 1);
    assert_eq!(records(&out.stdout).len(), 2);
    let lines: Vec<_> = out.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{}", out.stderr);
    assert!(
        lines[0].starts_with("newsx: no/such/file.txt: "),
        "{}",
        lines[0]
    );
}

#[test]
fn directory_is_walked_sorted_and_other_files_counted() {
    let dir = TempDir::new().unwrap();
    fs::create_dir(dir.path().join("sub")).unwrap();
    fs::write(dir.path().join("b.txt"), FRENCH).unwrap();
    fs::write(dir.path().join("sub/a.md"), FRENCH).unwrap();
    fs::write(dir.path().join("a.txt"), FRENCH).unwrap();
    fs::write(dir.path().join("image.png"), [0u8, 1, 2]).unwrap();
    let out = run(&["extract", dir.path().to_str().unwrap()], None);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let ids: Vec<_> = records(&out.stdout)
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, ["a", "b", "a"]);
    assert!(out.stderr.contains("skipped 1 file"), "{}", out.stderr);
}

#[test]
fn binary_and_empty_files() {
    let dir = TempDir::new().unwrap();
    let bin = dir.path().join("x.txt");
    fs::write(&bin, b"\x7fELF\x02\x01\x01\x00\x00\x00binary").unwrap();
    let empty = dir.path().join("empty.txt");
    fs::write(&empty, b"").unwrap();
    let out = run(
        &["extract", bin.to_str().unwrap(), empty.to_str().unwrap()],
        None,
    );
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("x.txt: is a binary file"),
        "{}",
        out.stderr
    );
    let recs = records(&out.stdout);
    assert_eq!(recs.len(), 1, "an empty file still gets a record");
    assert!(recs[0]["language"]["code"].is_null());
    assert_eq!(recs[0]["language"]["reliable"], false);
}

#[test]
fn latin1_french_is_decoded_with_a_warning() {
    let dir = TempDir::new().unwrap();
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(FRENCH);
    let p = dir.path().join("fr.txt");
    fs::write(&p, &bytes).unwrap();
    let out = run(&["extract", p.to_str().unwrap()], None);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let r = &records(&out.stdout)[0];
    assert_eq!(r["language"]["code"], "fr");
    assert_eq!(r["title"], "Attaque meurtrière dans le nord du pays");
    assert!(
        r["warnings"][0].as_str().unwrap().contains("windows-1252"),
        "{r}"
    );
}

#[test]
fn windows_1256_arabic_is_decoded_with_a_warning() {
    let dir = TempDir::new().unwrap();
    let (bytes, _, bad) = encoding_rs::WINDOWS_1256.encode(ARABIC);
    assert!(!bad);
    let p = dir.path().join("ar.txt");
    fs::write(&p, &bytes).unwrap();
    let out = run(&["extract", p.to_str().unwrap()], None);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let r = &records(&out.stdout)[0];
    assert_eq!(r["language"]["code"], "ar");
    assert_eq!(r["title"], "هجوم على سوق في شمال البلاد");
    assert!(
        r["warnings"][0].as_str().unwrap().contains("windows-1256"),
        "{r}"
    );
}

#[test]
fn utf16_with_bom() {
    let dir = TempDir::new().unwrap();
    let mut bytes = vec![0xFF, 0xFE];
    for u in FRENCH.encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    let p = dir.path().join("u16.txt");
    fs::write(&p, &bytes).unwrap();
    let out = run(&["extract", p.to_str().unwrap()], None);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let r = &records(&out.stdout)[0];
    assert_eq!(r["language"]["code"], "fr");
    assert!(
        r["warnings"][0].as_str().unwrap().contains("UTF-16LE"),
        "{r}"
    );
}

#[test]
fn standard_input_with_and_without_dash() {
    for args in [&["extract"][..], &["extract", "-"][..]] {
        let out = run(args, Some(FRENCH.as_bytes()));
        assert_eq!(out.code, 0, "{}", out.stderr);
        let recs = records(&out.stdout);
        assert_eq!(recs.len(), 1);
        assert_eq!(recs[0]["path"], "-");
        assert_eq!(recs[0]["language"]["code"], "fr");
    }
}

#[test]
fn jsonl_input_with_a_malformed_line() {
    let input = format!(
        "{}\n{{not json\n{}\n{}\n",
        serde_json::json!({"id": "a1", "text": FRENCH, "published": "2024-03-04"}),
        serde_json::json!({"text": ARABIC, "title": "Given title"}),
        serde_json::json!({"no_text": 1}),
    );
    let out = run(&["extract", "--input", "jsonl"], Some(input.as_bytes()));
    assert_eq!(out.code, 1);
    let recs = records(&out.stdout);
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[0]["id"], "a1");
    assert_eq!(recs[0]["published"], "2024-03-04");
    assert_eq!(recs[1]["id"], "-:3");
    assert_eq!(recs[1]["title"], "Given title");
    let errs: Vec<_> = out.stderr.lines().collect();
    assert_eq!(errs.len(), 2, "{}", out.stderr);
    assert!(errs[0].starts_with("newsx: -: line 2: "), "{}", errs[0]);
    assert!(errs[1].starts_with("newsx: -: line 4: "), "{}", errs[1]);
}

#[test]
fn jobs_do_not_change_output() {
    let a = run(&["extract", "--jobs", "1", "fixtures/seeds"], None);
    let b = run(
        &["extract", "--jobs", "4", "fixtures/seeds", "fixtures/seeds"],
        None,
    );
    assert_eq!(a.code, 0);
    assert_eq!(b.code, 0);
    assert_eq!(format!("{}{}", a.stdout, a.stdout), b.stdout);
}

#[test]
fn broken_pipe_ends_quietly() {
    let dir = TempDir::new().unwrap();
    for i in 0..300 {
        fs::write(dir.path().join(format!("{i:04}.txt")), FRENCH.repeat(20)).unwrap();
    }
    let mut child = newsx()
        .args(["extract", dir.path().to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 16];
    std::io::Read::read_exact(&mut stdout, &mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn bad_usage_is_status_2() {
    assert_eq!(run(&["extract", "--no-such-flag"], None).code, 2);
    assert_eq!(run(&["frobnicate"], None).code, 2);
    assert_eq!(run(&["extract", "--format", "xml"], None).code, 2);
}

#[test]
fn too_large_input_is_refused() {
    let out = run(
        &[
            "extract",
            "--max-bytes",
            "100",
            "fixtures/seeds/000_1bb18b833c1b86b5.txt",
        ],
        None,
    );
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("too large"), "{}", out.stderr);
}

#[test]
fn csv_and_json_formats() {
    let out = run(&["extract", "--format", "csv", "fixtures/seeds"], None);
    assert_eq!(out.code, 0);
    let mut rdr = csv::Reader::from_reader(out.stdout.as_bytes());
    let headers = rdr.headers().unwrap().clone();
    assert_eq!(headers.iter().collect::<Vec<_>>(), newsx::emit::CSV_COLUMNS);
    assert_eq!(rdr.records().count(), 5);
    let out = run(&["extract", "--format", "json", "fixtures/seeds"], None);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 5);
}

#[test]
fn detect_command() {
    let out = run(
        &["detect", "fixtures/seeds/000_1bb18b833c1b86b5.txt", "-"],
        Some(ARABIC.as_bytes()),
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let recs = records(&out.stdout);
    assert_eq!(recs[0]["language"]["code"], "en");
    assert_eq!(recs[1]["language"]["code"], "ar");
    assert_eq!(recs[1]["path"], "-");
}

#[test]
fn records_validate_against_the_schema() {
    let schema = run(&["schema"], None);
    assert_eq!(schema.code, 0);
    let schema: Value = serde_json::from_str(&schema.stdout).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("valid schema");
    let dir = TempDir::new().unwrap();
    fs::write(dir.path().join("fr.txt"), FRENCH).unwrap();
    fs::write(dir.path().join("ar.txt"), ARABIC).unwrap();
    let out = run(
        &["extract", "fixtures/seeds", dir.path().to_str().unwrap()],
        None,
    );
    for r in records(&out.stdout) {
        let errors: Vec<String> = validator.iter_errors(&r).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{}: {errors:?}", r["id"]);
    }
}

#[test]
fn output_file_option() {
    let dir = TempDir::new().unwrap();
    let p = dir.path().join("out.jsonl");
    let out = run(
        &["extract", "-o", p.to_str().unwrap(), "fixtures/seeds"],
        None,
    );
    assert_eq!(out.code, 0);
    assert!(out.stdout.is_empty());
    assert_eq!(fs::read_to_string(p).unwrap().lines().count(), 5);
}

#[test]
fn eval_scores_the_seeds_and_refuses_a_missing_gold_file() {
    let out = run(
        &["eval", "--gold", "no/such/gold.jsonl", "fixtures/seeds"],
        None,
    );
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("no/such/gold.jsonl"), "{}", out.stderr);
    let out = run(
        &[
            "eval",
            "--json",
            "--gold",
            "fixtures/gold/seeds.jsonl",
            "fixtures/seeds",
        ],
        None,
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["overall"]["articles"], 5);
    assert_eq!(v["languages"]["en"]["language"]["right"], 5);
    assert_eq!(v["overall"]["published"]["right"], 5);
    let table = run(
        &[
            "eval",
            "--gold",
            "fixtures/gold/seeds.jsonl",
            "fixtures/seeds",
        ],
        None,
    );
    for field in [
        "killed figures",
        "killed_max",
        "background leaks",
        "persons",
        "event_type",
    ] {
        assert!(table.stdout.contains(field), "{}", table.stdout);
    }
}

#[test]
fn the_seeds_are_one_event() {
    let extracted = run(&["extract", "fixtures/seeds"], None);
    assert_eq!(extracted.code, 0);
    let out = run(&["events"], Some(extracted.stdout.as_bytes()));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let events = records(&out.stdout);
    assert_eq!(events.len(), 1, "{}", out.stdout);
    let e = &events[0];
    assert_eq!(e["type"], "air_drone_strike");
    assert_eq!(e["articles"].as_array().map(Vec::len), Some(5));
    let mut countries: Vec<_> = e["countries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    countries.sort();
    assert_eq!(countries, ["IQ", "SY"]);
    assert_eq!(e["casualties"]["killed"]["min"], 4);
    assert_eq!(e["casualties"]["killed"]["max"], 10);
    assert_eq!(e["casualties"]["wounded"]["max"], 6);
    let reports = e["casualties"]["killed"]["reports"].as_array().unwrap();
    let said = |figure: u64, who: &str| {
        reports
            .iter()
            .any(|r| r["figure"] == figure && r["source"].as_str().is_some_and(|s| s.contains(who)))
    };
    assert!(said(7, "Observatory"), "{reports:?}");
    assert!(said(4, "Popular Mobilization"), "{reports:?}");
    // The same in one go, and the event schema.
    let direct = run(&["extract", "--events", "fixtures/seeds"], None);
    assert_eq!(direct.stdout, out.stdout);
    let schema = run(&["schema", "--events"], None);
    let schema: Value = serde_json::from_str(&schema.stdout).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("valid schema");
    assert!(validator.is_valid(e));
}

#[test]
fn events_reports_a_line_that_is_not_a_record() {
    let out = run(&["events"], Some(b"{\"not\": \"a record\"}\n"));
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.starts_with("newsx: -: line 1: "),
        "{}",
        out.stderr
    );
}
