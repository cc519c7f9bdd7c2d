//! Maps in a design file whose keys must not repeat: serde's maps keep the last of two equal
//! keys, so `tags: {"team": "a", "team": "b"}` would silently lose `a`. Read through
//! [`deserialize`], a repeated key is refused, naming the key (the loader adds file, line and
//! field).

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserialize, Deserializer, Error, MapAccess, Visitor};

/// Reads a map, refusing a key given twice.
///
/// # Errors
/// The deserializer's error, or "the key `K` is given twice" for a repeated key.
pub fn deserialize<'de, D, K, V>(d: D) -> Result<BTreeMap<K, V>, D::Error>
where
    D: Deserializer<'de>,
    K: Deserialize<'de> + Ord + fmt::Display,
    V: Deserialize<'de>,
{
    struct Unique<K, V>(PhantomData<(K, V)>);

    impl<'de, K, V> Visitor<'de> for Unique<K, V>
    where
        K: Deserialize<'de> + Ord + fmt::Display,
        V: Deserialize<'de>,
    {
        type Value = BTreeMap<K, V>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a map whose keys are all different")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = BTreeMap::new();
            while let Some(key) = map.next_key::<K>()? {
                if out.contains_key(&key) {
                    return Err(A::Error::custom(format!("the key `{key}` is given twice")));
                }
                let value = map.next_value::<V>()?;
                out.insert(key, value);
            }
            Ok(out)
        }
    }

    d.deserialize_map(Unique(PhantomData))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    #[derive(Debug, serde::Deserialize)]
    struct Holder {
        #[serde(deserialize_with = "super::deserialize")]
        map: BTreeMap<String, u32>,
    }

    #[test]
    fn a_repeated_key_is_refused_and_distinct_keys_are_kept() {
        let ok: Holder = ron::from_str(r#"(map: {"a": 1, "b": 2})"#).expect("distinct keys");
        assert_eq!(ok.map.len(), 2);
        let err = ron::from_str::<Holder>(r#"(map: {"a": 1, "a": 2})"#).expect_err("a repeated key");
        assert!(err.to_string().contains("the key `a` is given twice"), "{err}");
    }
}
