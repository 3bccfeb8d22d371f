//! kfix native helper: FIX CheckSum and the trailer write (`10=NNN<SOH>`), the step the TypeScript
//! encoder's finish() spends its time in. Loaded only when `npm run bench:native` shows it faster.

mod napi;

use napi::*;
use std::os::raw::c_void;
use std::ptr;

/// Sum of bytes modulo 256, in 8-byte chunks so the compiler can vectorise it.
pub fn fix_checksum(bytes: &[u8]) -> u8 {
    let mut total: u32 = 0;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        total = total.wrapping_add(c.iter().map(|&b| b as u32).sum::<u32>());
    }
    for &b in chunks.remainder() {
        total = total.wrapping_add(b as u32);
    }
    (total & 0xff) as u8
}

/// Writes `10=NNN<SOH>` at `end` and returns the offset after it; None if it does not fit.
pub fn write_trailer(buf: &mut [u8], start: usize, end: usize) -> Option<usize> {
    if start > end || end + 7 > buf.len() {
        return None;
    }
    let sum = fix_checksum(&buf[start..end]);
    let t = &mut buf[end..end + 7];
    t[0] = b'1';
    t[1] = b'0';
    t[2] = b'=';
    t[3] = b'0' + sum / 100;
    t[4] = b'0' + (sum / 10) % 10;
    t[5] = b'0' + sum % 10;
    t[6] = 1;
    Some(end + 7)
}

struct Args {
    bytes: &'static mut [u8],
    start: u32,
    end: u32,
}

/// Reads (Uint8Array, start, end) from the call; throws a RangeError and returns None when invalid.
unsafe fn read_args(env: napi_env, info: napi_callback_info) -> Option<Args> {
    let mut argc: usize = 3;
    let mut argv: [napi_value; 3] = [ptr::null_mut(); 3];
    if napi_get_cb_info(env, info, &mut argc, argv.as_mut_ptr(), ptr::null_mut(), ptr::null_mut()) != NAPI_OK || argc < 3 {
        throw(env, "expected (Uint8Array, start, end)\0");
        return None;
    }
    let mut kind: i32 = -1;
    let mut len: usize = 0;
    let mut data: *mut c_void = ptr::null_mut();
    if napi_get_typedarray_info(env, argv[0], &mut kind, &mut len, &mut data, ptr::null_mut(), ptr::null_mut()) != NAPI_OK
        || kind != NAPI_UINT8_ARRAY
    {
        throw(env, "first argument must be a Uint8Array\0");
        return None;
    }
    let (mut start, mut end) = (0u32, 0u32);
    if napi_get_value_uint32(env, argv[1], &mut start) != NAPI_OK || napi_get_value_uint32(env, argv[2], &mut end) != NAPI_OK {
        throw(env, "start and end must be numbers\0");
        return None;
    }
    if start > end || end as usize > len {
        throw(env, "range outside the buffer\0");
        return None;
    }
    let bytes: &'static mut [u8] = if len == 0 { &mut [] } else { std::slice::from_raw_parts_mut(data as *mut u8, len) };
    Some(Args { bytes, start, end })
}

unsafe fn throw(env: napi_env, msg: &str) {
    napi_throw_range_error(env, ptr::null(), msg.as_ptr() as *const _);
}

unsafe fn uint(env: napi_env, v: u32) -> napi_value {
    let mut out: napi_value = ptr::null_mut();
    napi_create_uint32(env, v, &mut out);
    out
}

unsafe extern "C" fn js_checksum(env: napi_env, info: napi_callback_info) -> napi_value {
    match read_args(env, info) {
        Some(a) => uint(env, fix_checksum(&a.bytes[a.start as usize..a.end as usize]) as u32),
        None => ptr::null_mut(),
    }
}

unsafe extern "C" fn js_write_trailer(env: napi_env, info: napi_callback_info) -> napi_value {
    let Some(a) = read_args(env, info) else { return ptr::null_mut() };
    match write_trailer(a.bytes, a.start as usize, a.end as usize) {
        Some(next) => uint(env, next as u32),
        None => {
            throw(env, "no room for the CheckSum field\0");
            ptr::null_mut()
        }
    }
}

unsafe fn export(env: napi_env, exports: napi_value, name: &str, cb: napi_callback) {
    let mut f: napi_value = ptr::null_mut();
    napi_create_function(env, name.as_ptr() as *const _, name.len() - 1, cb, ptr::null_mut(), &mut f);
    napi_set_named_property(env, exports, name.as_ptr() as *const _, f);
}

/// Node calls this symbol when it loads the addon (Node-API module registration without a macro).
#[no_mangle]
pub unsafe extern "C" fn napi_register_module_v1(env: napi_env, exports: napi_value) -> napi_value {
    export(env, exports, "checksum\0", js_checksum);
    export(env, exports, "writeTrailer\0", js_write_trailer);
    exports
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksum_matches_definition() {
        let msg = b"8=FIX.4.4\x019=5\x0135=0\x01";
        let expected = msg.iter().map(|&b| b as u32).sum::<u32>() % 256;
        assert_eq!(fix_checksum(msg) as u32, expected);
    }

    #[test]
    fn trailer_is_three_digits_and_soh() {
        let mut buf = [0u8; 32];
        buf[..4].copy_from_slice(b"35=0");
        let end = write_trailer(&mut buf, 0, 4).unwrap();
        assert_eq!(end, 11);
        assert_eq!(&buf[4..7], b"10=");
        assert_eq!(buf[10], 1);
        assert_eq!(write_trailer(&mut buf, 0, 30), None);
    }
}
