//! Compact numbers for what the engine keeps in its events, waiting contacts,
//! planned redials, appointments and agent lists.
//!
//! The model, the router and the recorder number streams, pools, lines and
//! intervals with `usize`. The engine stores these numbers in 32 bits so that
//! an event stays 32 bytes and a waiting contact 64: the event calendar and
//! the queues are the memory the hot path walks. One type per kind of number
//! keeps a pool from being read as a stream (a departure carries a pool and
//! an agent, an overflow a stream and a pool), and puts the widening and the
//! narrowing in one place, here.

macro_rules! index_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(u32);

        impl $name {
            /// The number of position `index` in its list. Validated models
            /// and replications stay far below 2^32 streams, pools, lines,
            /// intervals, agents, pending redials and appointments.
            #[inline]
            pub(crate) fn new(index: usize) -> $name {
                $name(index as u32)
            }

            /// Its position in its list.
            #[inline]
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}

index_type!(
    /// A stream of contacts (a theme on a channel): its place in the model's streams.
    StreamId
);
index_type!(
    /// An agent pool: its place in the model's pools.
    PoolId
);
index_type!(
    /// A line: its place in the model's lines.
    LineId
);
index_type!(
    /// An interval of the horizon (day-major), as the calendar counts them.
    IntervalId
);
index_type!(
    /// An agent of one pool: its place in that pool's agent list.
    AgentId
);
index_type!(
    /// A redial planned for later: its slot among the engine's planned redials.
    RedialSlot
);
index_type!(
    /// A visitor who will check in: their place among the replication's appointments.
    AppointmentId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_index_comes_back_unchanged() {
        for i in [0, 1, 47, 17_520, u32::MAX as usize] {
            assert_eq!(StreamId::new(i).index(), i);
            assert_eq!(AgentId::new(i).index(), i);
        }
    }

    #[test]
    fn events_and_contacts_keep_their_size() {
        // The reason for 32-bit numbers: a departure (pool, agent, chat) and
        // its 16-byte key fit in 32 bytes.
        assert_eq!(std::mem::size_of::<super::super::Event>(), 32);
        assert_eq!(std::mem::size_of::<super::super::Waiting>(), 64);
    }
}
