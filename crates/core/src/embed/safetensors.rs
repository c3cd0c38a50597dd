//! A reader (and a small writer) for the safetensors format.
//!
//! Layout: an 8-byte little-endian header length `N`, then `N` bytes of JSON
//! mapping tensor names to `{"dtype", "shape", "data_offsets": [begin, end]}`
//! (plus an optional `"__metadata__"` object), then the data block; offsets
//! are relative to the start of the data block. Tensors are little-endian and
//! row-major. Every length and offset is checked against the bytes actually
//! present before anything is read, so a truncated or lying file is an error,
//! never a panic or an out-of-bounds read.

use serde_json::{Map, Value};

use super::ModelError;

/// Element types this reader knows the size of. Only some can be converted
/// to what the model needs (see [`TensorView::to_f32`] and
/// [`TensorView::to_indices`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dtype {
    F64,
    F32,
    F16,
    BF16,
    I64,
    I32,
    I16,
    I8,
    U64,
    U32,
    U16,
    U8,
    Bool,
}

impl Dtype {
    fn parse(name: &str) -> Option<Dtype> {
        Some(match name {
            "F64" => Dtype::F64,
            "F32" => Dtype::F32,
            "F16" => Dtype::F16,
            "BF16" => Dtype::BF16,
            "I64" => Dtype::I64,
            "I32" => Dtype::I32,
            "I16" => Dtype::I16,
            "I8" => Dtype::I8,
            "U64" => Dtype::U64,
            "U32" => Dtype::U32,
            "U16" => Dtype::U16,
            "U8" => Dtype::U8,
            "BOOL" => Dtype::Bool,
            _ => return None,
        })
    }

    /// The name used in the header.
    pub fn name(self) -> &'static str {
        match self {
            Dtype::F64 => "F64",
            Dtype::F32 => "F32",
            Dtype::F16 => "F16",
            Dtype::BF16 => "BF16",
            Dtype::I64 => "I64",
            Dtype::I32 => "I32",
            Dtype::I16 => "I16",
            Dtype::I8 => "I8",
            Dtype::U64 => "U64",
            Dtype::U32 => "U32",
            Dtype::U16 => "U16",
            Dtype::U8 => "U8",
            Dtype::Bool => "BOOL",
        }
    }

    /// Bytes per element.
    pub fn size(self) -> usize {
        match self {
            Dtype::F64 | Dtype::I64 | Dtype::U64 => 8,
            Dtype::F32 | Dtype::I32 | Dtype::U32 => 4,
            Dtype::F16 | Dtype::BF16 | Dtype::I16 | Dtype::U16 => 2,
            Dtype::I8 | Dtype::U8 | Dtype::Bool => 1,
        }
    }
}

/// One tensor of a parsed file: its type, shape and bytes.
#[derive(Clone, Debug)]
pub struct TensorView<'a> {
    pub name: String,
    pub dtype: Dtype,
    pub shape: Vec<usize>,
    pub data: &'a [u8],
}

/// The tensors of a safetensors file, borrowed from its bytes.
#[derive(Debug)]
pub struct Tensors<'a> {
    tensors: Vec<TensorView<'a>>,
}

fn malformed(reason: impl Into<String>) -> ModelError {
    ModelError::Safetensors { reason: reason.into() }
}

impl<'a> Tensors<'a> {
    /// Parses the header and checks every tensor's extent against the data.
    pub fn parse(bytes: &'a [u8]) -> Result<Tensors<'a>, ModelError> {
        let Some(length) = bytes.get(..8) else {
            return Err(malformed(format!("{} bytes, shorter than the 8-byte header length", bytes.len())));
        };
        let length = u64::from_le_bytes(length.try_into().expect("8 bytes"));
        let available = (bytes.len() - 8) as u64;
        if length > available {
            return Err(malformed(format!(
                "header length {length} is larger than the {available} bytes after it (truncated file?)"
            )));
        }
        let (header, data) = bytes[8..].split_at(length as usize);
        let header: Map<String, Value> = match serde_json::from_slice(header) {
            Ok(Value::Object(map)) => map,
            Ok(_) => return Err(malformed("the header is not a JSON object")),
            Err(e) => return Err(malformed(format!("the header is not valid JSON: {e}"))),
        };
        let mut tensors = Vec::with_capacity(header.len());
        for (name, entry) in &header {
            if name == "__metadata__" {
                continue;
            }
            tensors.push(parse_entry(name, entry, data)?);
        }
        Ok(Tensors { tensors })
    }

    /// The tensor called `name`, if there is one.
    pub fn get(&self, name: &str) -> Option<&TensorView<'a>> {
        self.tensors.iter().find(|t| t.name == name)
    }

    /// The names of all tensors, in header order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.tensors.iter().map(|t| t.name.as_str())
    }
}

fn parse_entry<'a>(name: &str, entry: &Value, data: &'a [u8]) -> Result<TensorView<'a>, ModelError> {
    let bad = |reason: String| ModelError::Tensor { name: name.to_string(), reason };
    let dtype_name = entry.get("dtype").and_then(Value::as_str).ok_or_else(|| bad("no \"dtype\" string".into()))?;
    let dtype = Dtype::parse(dtype_name).ok_or_else(|| bad(format!("unknown dtype {dtype_name:?}")))?;
    let shape: Vec<usize> = entry
        .get("shape")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("no \"shape\" array".into()))?
        .iter()
        .map(|d| d.as_u64().and_then(|d| usize::try_from(d).ok()))
        .collect::<Option<_>>()
        .ok_or_else(|| bad("\"shape\" holds something other than non-negative integers".into()))?;
    let offsets = entry
        .get("data_offsets")
        .and_then(Value::as_array)
        .filter(|o| o.len() == 2)
        .and_then(|o| Some((o[0].as_u64()?, o[1].as_u64()?)))
        .ok_or_else(|| bad("\"data_offsets\" is not a pair of non-negative integers".into()))?;
    let (begin, end) = offsets;
    if begin > end || end > data.len() as u64 {
        return Err(bad(format!(
            "data_offsets [{begin}, {end}] fall outside the {} bytes of data (truncated file?)",
            data.len()
        )));
    }
    let elements = shape.iter().try_fold(1usize, |n, &d| n.checked_mul(d));
    let expected = elements.and_then(|n| n.checked_mul(dtype.size()));
    if expected != Some((end - begin) as usize) {
        return Err(bad(format!(
            "shape {shape:?} of {} needs {} bytes but data_offsets give {}",
            dtype.name(),
            expected.map_or("more than usize::MAX".to_string(), |n| n.to_string()),
            end - begin
        )));
    }
    Ok(TensorView { name: name.to_string(), dtype, shape, data: &data[begin as usize..end as usize] })
}

impl TensorView<'_> {
    /// The elements as `f32`: F32 as is, F16 and BF16 widened exactly, F64
    /// rounded.
    pub fn to_f32(&self) -> Result<Vec<f32>, ModelError> {
        let d = self.data;
        Ok(match self.dtype {
            Dtype::F32 => d.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect(),
            Dtype::F16 => d.chunks_exact(2).map(|b| f16_to_f32(u16::from_le_bytes([b[0], b[1]]))).collect(),
            Dtype::BF16 => {
                d.chunks_exact(2).map(|b| f32::from_bits((u16::from_le_bytes([b[0], b[1]]) as u32) << 16)).collect()
            }
            Dtype::F64 => d
                .chunks_exact(8)
                .map(|b| f64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]) as f32)
                .collect(),
            other => {
                return Err(ModelError::Tensor {
                    name: self.name.clone(),
                    reason: format!("dtype {} is not a float type (F32, F16, BF16 or F64)", other.name()),
                })
            }
        })
    }

    /// The elements as row indices: integer types whose every value is in
    /// `0..bound`.
    pub fn to_indices(&self, bound: usize) -> Result<Vec<u32>, ModelError> {
        let d = self.data;
        let values: Vec<i128> = match self.dtype {
            Dtype::I64 => {
                d.chunks_exact(8).map(|b| i64::from_le_bytes(b.try_into().expect("8 bytes")) as i128).collect()
            }
            Dtype::U64 => {
                d.chunks_exact(8).map(|b| u64::from_le_bytes(b.try_into().expect("8 bytes")) as i128).collect()
            }
            Dtype::I32 => {
                d.chunks_exact(4).map(|b| i32::from_le_bytes(b.try_into().expect("4 bytes")) as i128).collect()
            }
            Dtype::U32 => {
                d.chunks_exact(4).map(|b| u32::from_le_bytes(b.try_into().expect("4 bytes")) as i128).collect()
            }
            other => {
                return Err(ModelError::Tensor {
                    name: self.name.clone(),
                    reason: format!("dtype {} is not an integer type (I64, I32, U64 or U32)", other.name()),
                })
            }
        };
        values
            .iter()
            .enumerate()
            .map(|(i, &v)| {
                if v >= 0 && (v as u128) < bound as u128 {
                    Ok(v as u32)
                } else {
                    Err(ModelError::Tensor {
                        name: self.name.clone(),
                        reason: format!("element {i} is {v}, outside 0..{bound}"),
                    })
                }
            })
            .collect()
    }
}

/// IEEE 754 half precision to single precision (exact: every f16 value is
/// an f32 value).
pub fn f16_to_f32(h: u16) -> f32 {
    let sign = ((h & 0x8000) as u32) << 16;
    let exponent = ((h >> 10) & 0x1f) as u32;
    let mantissa = (h & 0x3ff) as u32;
    let bits = match exponent {
        0 if mantissa == 0 => sign,
        0 => {
            // Subnormal: mantissa × 2^-24, exact in f32.
            let magnitude = mantissa as f32 * (1.0 / 16_777_216.0);
            return if sign != 0 { -magnitude } else { magnitude };
        }
        0x1f => sign | 0x7f80_0000 | (mantissa << 13),
        _ => sign | ((exponent + 127 - 15) << 23) | (mantissa << 13),
    };
    f32::from_bits(bits)
}

/// Writes tensors as a safetensors file (header padded to 8 bytes with
/// spaces, as the reference writer does). For tests, benchmarks and tools
/// that build small models; `data` must hold `shape`'s elements of `dtype`,
/// little-endian.
pub fn serialize(tensors: &[(&str, Dtype, &[usize], &[u8])]) -> Vec<u8> {
    let mut header = Map::new();
    let mut offset = 0usize;
    for (name, dtype, shape, data) in tensors {
        let entry = serde_json::json!({
            "dtype": dtype.name(),
            "shape": shape,
            "data_offsets": [offset, offset + data.len()],
        });
        header.insert(name.to_string(), entry);
        offset += data.len();
    }
    let mut header = serde_json::to_vec(&Value::Object(header)).expect("a JSON map serializes");
    while header.len() % 8 != 0 {
        header.push(b' ');
    }
    let mut out = Vec::with_capacity(8 + header.len() + offset);
    out.extend_from_slice(&(header.len() as u64).to_le_bytes());
    out.extend_from_slice(&header);
    for (_, _, _, data) in tensors {
        out.extend_from_slice(data);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f32_bytes(values: &[f32]) -> Vec<u8> {
        values.iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    #[test]
    fn round_trip() {
        let a = f32_bytes(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
        let b: Vec<u8> = [7i64, 0].iter().flat_map(|v| v.to_le_bytes()).collect();
        let bytes = serialize(&[("a", Dtype::F32, &[2, 3], &a), ("b", Dtype::I64, &[2], &b)]);
        let tensors = Tensors::parse(&bytes).unwrap();
        assert_eq!(tensors.names().collect::<Vec<_>>(), ["a", "b"]);
        let t = tensors.get("a").unwrap();
        assert_eq!(t.shape, [2, 3]);
        assert_eq!(t.to_f32().unwrap(), [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
        assert_eq!(tensors.get("b").unwrap().to_indices(8).unwrap(), [7, 0]);
        assert!(tensors.get("b").unwrap().to_indices(7).is_err());
        assert!(tensors.get("c").is_none());
    }

    #[test]
    fn half_precision() {
        let cases: [(u16, f32); 9] = [
            (0x0000, 0.0),
            (0x3c00, 1.0),
            (0xbc00, -1.0),
            (0x3800, 0.5),
            (0xc500, -5.0),
            (0x7bff, 65504.0),
            (0x0001, 5.960_464_5e-8),
            (0x03ff, 6.097_555e-5),
            (0x7c00, f32::INFINITY),
        ];
        for (h, f) in cases {
            assert_eq!(f16_to_f32(h), f, "{h:#06x}");
        }
        assert!(f16_to_f32(0x7e00).is_nan());
        assert_eq!(f16_to_f32(0x8000).to_bits(), (-0.0f32).to_bits());
    }

    #[test]
    fn malformed_files_are_errors() {
        let a = f32_bytes(&[1.0, 2.0]);
        let good = serialize(&[("a", Dtype::F32, &[2], &a)]);
        // Every truncation fails cleanly.
        for cut in 0..good.len() {
            assert!(Tensors::parse(&good[..cut]).is_err(), "cut at {cut}");
        }
        let with_header = |json: &str| {
            let mut bytes = (json.len() as u64).to_le_bytes().to_vec();
            bytes.extend_from_slice(json.as_bytes());
            bytes.extend_from_slice(&a);
            bytes
        };
        let check = |json: &str, needle: &str| {
            let e = Tensors::parse(&with_header(json)).unwrap_err().to_string();
            assert!(e.contains(needle), "{json}: {e}");
        };
        check(r#"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, "needs 12 bytes");
        check(r#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,16]}}"#, "outside");
        check(r#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}"#, "outside");
        check(r#"{"a":{"dtype":"F99","shape":[2],"data_offsets":[0,8]}}"#, "unknown dtype");
        check(r#"{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}"#, "shape");
        check(r#"{"a":{"dtype":"F32","shape":[2]}}"#, "data_offsets");
        check(r#"{"a":{"dtype":"F32","shape":[4294967296,4294967296,4294967296],"data_offsets":[0,8]}}"#, "needs");
        check(r#"[1,2]"#, "not a JSON object");
        check(r#"{"a":"#, "not valid JSON");
        let mut huge = u64::MAX.to_le_bytes().to_vec();
        huge.extend_from_slice(b"{}");
        assert!(Tensors::parse(&huge).unwrap_err().to_string().contains("header length"));
        // Metadata is skipped.
        let ok =
            with_header(r#"{"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#);
        assert_eq!(Tensors::parse(&ok).unwrap().names().count(), 1);
    }
}
