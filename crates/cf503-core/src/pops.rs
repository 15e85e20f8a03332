//! CloudFront edge locations (POPs): `X-Amz-Cf-Pop` → city, country, coordinates, and the
//! nearest AWS Region with a regional edge cache, where Lambda@Edge most likely ran.
//!
//! The table is compiled from `data/*.csv` by `build.rs`; see `data/README.md` for sources,
//! the licence of the upstream table and the faults we fixed.

/// An AWS Region that hosts a CloudFront regional edge cache.
#[derive(Debug, PartialEq, Eq)]
pub struct LambdaRegion {
    /// Region code, e.g. `us-east-1`.
    pub code: &'static str,
    /// Human name, e.g. `US East (N. Virginia)`.
    pub name: &'static str,
}

/// One edge location, keyed by the three letters at the start of a POP id.
#[derive(Debug, PartialEq)]
pub struct PopLocation {
    /// Airport-style code, e.g. `IAD`.
    pub code: &'static str,
    /// City.
    pub city: &'static str,
    /// Country.
    pub country: &'static str,
    /// ISO 3166 alpha-2 country code.
    pub country_code: &'static str,
    /// Latitude in degrees.
    pub latitude: f64,
    /// Longitude in degrees.
    pub longitude: f64,
    /// The Region with a regional edge cache nearest by great-circle distance.
    pub nearest_region: &'static LambdaRegion,
    /// That distance, in km.
    pub region_distance_km: u32,
}

include!(concat!(env!("OUT_DIR"), "/pops.rs"));

/// A parsed POP id such as `IAD89-C1`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PopId<'a> {
    /// The id as written.
    pub raw: &'a str,
    /// Its first three letters, upper-case.
    pub code: [u8; 3],
}

impl<'a> PopId<'a> {
    /// Parses `^[A-Z]{3}\d{1,3}(-[A-Z]\d{1,2})?$` leniently (any case, surrounding space).
    pub fn parse(raw: &'a str) -> Option<Self> {
        let raw = raw.trim();
        let b = raw.as_bytes();
        if b.len() < 3 || !b[..3].iter().all(u8::is_ascii_alphabetic) {
            return None;
        }
        let rest = &raw[3..];
        let (num, suffix) = match rest.split_once('-') {
            // A dash must be followed by a suffix.
            Some((_, "")) => return None,
            Some(parts) => parts,
            None => (rest, ""),
        };
        let digits_ok =
            !num.is_empty() && num.len() <= 3 && num.bytes().all(|c| c.is_ascii_digit());
        let suffix_ok = suffix.is_empty()
            || (suffix.len() >= 2
                && suffix.len() <= 3
                && suffix.as_bytes()[0].is_ascii_alphabetic()
                && suffix[1..].bytes().all(|c| c.is_ascii_digit()));
        // Older POP ids have no number in some hand-written notes; accept a bare code too.
        if !(rest.is_empty() || (digits_ok && suffix_ok)) {
            return None;
        }
        Some(Self {
            raw,
            code: [
                b[0].to_ascii_uppercase(),
                b[1].to_ascii_uppercase(),
                b[2].to_ascii_uppercase(),
            ],
        })
    }

    /// The three-letter code.
    pub fn code_str(&self) -> &str {
        core::str::from_utf8(&self.code).unwrap_or("???")
    }

    /// Where this POP is, if the code is in the table.
    pub fn location(&self) -> Option<&'static PopLocation> {
        lookup(self.code_str())
    }
}

/// Looks up a three-letter code (case-insensitive).
pub fn lookup(code: &str) -> Option<&'static PopLocation> {
    if code.len() != 3 {
        return None;
    }
    let mut up = [0u8; 3];
    for (d, s) in up.iter_mut().zip(code.bytes()) {
        *d = s.to_ascii_uppercase();
    }
    POPS.binary_search_by(|p| p.code.as_bytes().cmp(&up[..]))
        .ok()
        .map(|i| &POPS[i])
}

/// Every known location, sorted by code.
pub fn all() -> &'static [PopLocation] {
    POPS
}

/// Every Region with a regional edge cache.
pub fn regions() -> &'static [LambdaRegion] {
    REGIONS
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn parse_pop_ids() {
        for ok in [
            "IAD89-C1",
            "LHR5-P3",
            "LAX54-P11",
            "PRG50",
            "sof50-p2",
            "IAD",
        ] {
            assert!(PopId::parse(ok).is_some(), "{ok}");
        }
        for bad in [
            "", "I1", "IAD89-", "IAD89-CC", "12345", "IAD-C1x", "IAD1234",
        ] {
            assert!(PopId::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn table_is_sorted_and_fixed() {
        assert!(POPS.windows(2).all(|w| w[0].code < w[1].code));
        let iad = lookup("iad").unwrap();
        assert_eq!(iad.nearest_region.code, "us-east-1");
        assert_eq!(lookup("LHR").unwrap().nearest_region.code, "eu-west-2");
        assert_eq!(lookup("NRT").unwrap().nearest_region.code, "ap-northeast-1");
        assert_eq!(lookup("SYD").unwrap().nearest_region.code, "ap-southeast-2");
        assert_eq!(lookup("GRU").unwrap().nearest_region.code, "sa-east-1");
        // Known faults of the upstream table, fixed in data/pop-overrides.csv.
        let bla = lookup("BLA").unwrap();
        assert_eq!(bla.country_code, "ES");
        assert!(bla.latitude > 40.0 && bla.longitude > 0.0);
        assert_eq!(lookup("HIO").unwrap().city, "Hillsboro (Portland)");
        for added in ["BCN", "YYZ", "PDX", "JAX", "RUH", "YYC"] {
            assert!(lookup(added).is_some(), "{added}");
        }
        assert!(lookup("ZZZ").is_none());
    }
}
