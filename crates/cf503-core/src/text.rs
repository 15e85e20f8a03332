//! String helpers every layer uses (parsers, observation, signals), in a module of their own so
//! that the module graph stays acyclic: nothing here depends on anything else in the crate.

/// The largest index `<= max` that is a char boundary of `s` (stable stand-in for
/// `str::floor_char_boundary`).
pub(crate) fn floor_char_boundary(s: &str, max: usize) -> usize {
    if max >= s.len() {
        return s.len();
    }
    let mut i = max;
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}
