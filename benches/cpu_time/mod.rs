//! A criterion measurement of the process's CPU time (every thread's)
//! instead of wall time. The development machine is shared (two cores,
//! other jobs running), so wall time measures the scheduler as much as
//! eosc; CPU time does not count the time spent waiting for a core. The
//! emitters run Salt on a second thread, so the process's time, not the
//! benchmark thread's, is their cost. Values are nanoseconds, shown like
//! durations.

use criterion::measurement::{Measurement, ValueFormatter, WallTime};

/// `clock_gettime(CLOCK_PROCESS_CPUTIME_ID)` (Linux, glibc).
#[repr(C)]
struct Timespec {
    tv_sec: i64,
    tv_nsec: i64,
}

extern "C" {
    fn clock_gettime(clock: i32, tp: *mut Timespec) -> i32;
}

const CLOCK_PROCESS_CPUTIME_ID: i32 = 2;

fn process_cpu_ns() -> u64 {
    let mut ts = Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; the clock id is Linux's.
    let rc = unsafe { clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_PROCESS_CPUTIME_ID) failed");
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

pub struct ProcessCpuTime {
    // Only for its duration formatter, which criterion keeps private.
    wall: WallTime,
}

impl ProcessCpuTime {
    pub fn new() -> Self {
        ProcessCpuTime { wall: WallTime }
    }
}

impl Measurement for ProcessCpuTime {
    type Intermediate = u64;
    type Value = u64;

    fn start(&self) -> u64 {
        process_cpu_ns()
    }
    fn end(&self, start: u64) -> u64 {
        process_cpu_ns().saturating_sub(start)
    }
    fn add(&self, a: &u64, b: &u64) -> u64 {
        a + b
    }
    fn zero(&self) -> u64 {
        0
    }
    fn to_f64(&self, v: &u64) -> f64 {
        *v as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        self.wall.formatter()
    }
}
