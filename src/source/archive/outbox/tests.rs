//! Unit tests of `outbox.rs`.

use super::*;

fn collect(text: &str) -> Result<(OutboxInfo, Vec<Value>)> {
    let mut items = Vec::new();
    let info = stream(text.as_bytes(), Path::new("outbox.json"), |v| {
        items.push(v);
        Ok(())
    })?;
    Ok((info, items))
}

#[test]
fn items_stream_and_total_is_only_reported() {
    let (info, items) = collect(
        r#"{"@context":["x",{"a":1}],"id":"outbox.json","type":"OrderedCollection",
            "totalItems":5,"orderedItems":[{"type":"Create","id":"1"},{"type":"Announce"}]}"#,
    )
    .unwrap();
    assert_eq!((info.declared, info.items), (Some(5), 2));
    assert_eq!(items[0]["id"], "1");
    let (info, items) = collect(r#"{"orderedItems":null}"#).unwrap();
    assert_eq!((info.declared, items.len()), (None, 0));
}

#[test]
fn callback_errors_and_broken_json_are_reported() {
    let err = stream(
        r#"{"orderedItems":[{},{}]}"#.as_bytes(),
        Path::new("o.json"),
        |_| Err(Error::Other("disk full".into())),
    )
    .unwrap_err();
    assert_eq!(err.to_string(), "disk full");
    let err = collect(r#"{"orderedItems":[{"a":1},"#).unwrap_err();
    assert!(err.to_string().starts_with("outbox.json: "), "{err}");
    let err = collect("[1,2]").unwrap_err();
    assert!(err.to_string().contains("OrderedCollection"), "{err}");
}
