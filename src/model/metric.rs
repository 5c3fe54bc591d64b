//! The figures ccsim reports, by name: what a promise, a target, a table or
//! a chart asks for. Plain names; how each is computed is `stats::metrics`.

/// A figure reported per replication.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Metric {
    /// Contacts that arrived.
    Offered,
    /// Contacts picked up by an agent.
    Answered,
    /// Callers and chatters who hung up while waiting.
    Abandoned,
    /// Contacts still waiting when their line closed.
    ClosedOut,
    /// Calls and chats turned away by a full queue (busy signal).
    Blocked,
    /// The published reachability (see module docs).
    Reachability,
    /// Answered within the threshold / offered.
    ServiceLevel,
    /// Mean wait of answered contacts, seconds.
    Asa,
    /// 90th percentile of the wait of answered contacts, seconds.
    WaitP90,
    /// Abandoned / offered.
    AbandonShare,
    /// Hours of handling.
    HandledHours,
    /// Handled seconds × unit price.
    Cost,
    /// E-mails waiting at the end of the day.
    Backlog,
    /// Busy agent time / agent time on duty.
    Occupancy,
    /// Mean number of agents on duty.
    Agents,
    /// Agent hours on duty.
    AgentHours,
    /// Agent hours busy with contacts.
    BusyHours,
    /// Agent hours scheduled, before shrinkage (what is paid for).
    ScheduledHours,
    /// Calls that hung up on the expected-wait announcement.
    SentAway,
    /// Calls that left the queue with a callback request.
    Callbacks,
    /// Callback requests called back by an agent.
    CallbacksMade,
    /// Mean time from callback request to callback, seconds.
    CallbackDelay,
    /// Attempts that were redials (included in `offered`).
    Redials,
    /// Calls transferred in from another theme (included in `offered`).
    TransfersIn,
    /// Distinct callers (first attempts), counted where they first came.
    Callers,
    /// Callers reached at some attempt / callers whose story has ended.
    CallerReachability,
    /// Attempts per caller, all channels together.
    AttemptsPerCaller,
    /// Scheduled agent hours of agents absent for the day (pools with absenteeism).
    AbsentHours,
    /// Agent hours of temporary extra support (pools with extra support).
    ExtraHours,
    /// Price of the temporary extra support, reported apart from `cost`.
    ExtraCost,
    /// Scheduled hours of a pool's own agents × its price per hour
    /// (`hour_price`), reported apart from `cost` and `extra_cost`.
    StaffCost,
    /// Appointments booked (visit products).
    Booked,
    /// Booked visitors who did not come.
    NoShows,
    /// Slots left free because the citizen used the digital counter instead.
    Deflected,
    /// Share of the appointment visitors served who were called to a desk
    /// before their appointment time.
    ServedEarly,
    /// Mean handle time of answered contacts, seconds (a visit's
    /// transaction time at the desk).
    TransactionTime,
    /// A weekday's or hour's share of the visits: at weekday level of the
    /// horizon's, at weekday-and-hour level of that weekday's.
    VisitShare,
    /// Share of answered calls or chats that waited less than this many
    /// seconds (a point of the waiting-time distribution).
    AnsweredWithin(u16),
    /// Share of abandoned calls or chats that had waited less than this many
    /// seconds when they hung up.
    AbandonedWithin(u16),
}

impl Metric {
    /// The name used in JSON, CSV and tables.
    pub fn name(self) -> &'static str {
        match self {
            Metric::Offered => "offered",
            Metric::Answered => "answered",
            Metric::Abandoned => "abandoned",
            Metric::ClosedOut => "closed_out",
            Metric::Blocked => "blocked",
            Metric::Reachability => "reachability",
            Metric::ServiceLevel => "service_level",
            Metric::Asa => "asa",
            Metric::WaitP90 => "wait_p90",
            Metric::AbandonShare => "abandon_share",
            Metric::HandledHours => "handled_hours",
            Metric::Cost => "cost",
            Metric::Backlog => "backlog",
            Metric::Occupancy => "occupancy",
            Metric::Agents => "agents",
            Metric::AgentHours => "agent_hours",
            Metric::BusyHours => "busy_hours",
            Metric::ScheduledHours => "scheduled_hours",
            Metric::SentAway => "sent_away",
            Metric::Callbacks => "callbacks",
            Metric::CallbacksMade => "callbacks_made",
            Metric::CallbackDelay => "callback_delay",
            Metric::Redials => "redials",
            Metric::TransfersIn => "transfers_in",
            Metric::Callers => "callers",
            Metric::CallerReachability => "caller_reachability",
            Metric::AttemptsPerCaller => "attempts_per_caller",
            Metric::AbsentHours => "absent_hours",
            Metric::ExtraHours => "extra_hours",
            Metric::ExtraCost => "extra_cost",
            Metric::StaffCost => "staff_cost",
            Metric::Booked => "booked",
            Metric::NoShows => "no_shows",
            Metric::Deflected => "deflected",
            Metric::ServedEarly => "served_early",
            Metric::TransactionTime => "transaction_time",
            Metric::VisitShare => "visit_share",
            Metric::AnsweredWithin(_) => "answered_within",
            Metric::AbandonedWithin(_) => "abandoned_within",
        }
    }

    /// Whether the metric is a point of the waiting-time distribution
    /// (reported per channel over the horizon, apart from the other figures).
    pub fn is_wait_point(self) -> bool {
        matches!(self, Metric::AnsweredWithin(_) | Metric::AbandonedWithin(_))
    }

    /// Whether the figure is a share: a ratio of counts (or of agent time)
    /// within [0, 1], shown as a percentage. The one list of the shares:
    /// their confidence intervals respect [0, 1], and every report writes
    /// them in percent.
    pub fn is_share(self) -> bool {
        matches!(
            self,
            Metric::Reachability
                | Metric::ServiceLevel
                | Metric::AbandonShare
                | Metric::Occupancy
                | Metric::CallerReachability
                | Metric::ServedEarly
                | Metric::VisitShare
                | Metric::AnsweredWithin(_)
                | Metric::AbandonedWithin(_)
        )
    }

    /// The values the figure can take: a share lies within [0, 1]; every
    /// other figure (counts, durations, hours, agents, money) is at least 0.
    pub fn bounds(self) -> Bounds {
        if self.is_share() {
            Bounds::Share
        } else {
            Bounds::NonNegative
        }
    }

    /// For a share, a count of the same period and scope that is never more
    /// than the share's denominator — the contacts it is taken over — and
    /// equal to it when the share is 1: how many trials at least stand
    /// behind a share that is 0 or 1 in every replication. `None` when no
    /// reported count is such a bound (occupancy is a share of agent time).
    ///
    /// Reachability is answered / offered for calls and chats and on time /
    /// decided for e-mail; every e-mail picked up is decided, so the
    /// answered contacts bound both (and their sum the total's).
    pub fn trials(self) -> Option<Metric> {
        match self {
            Metric::Reachability | Metric::AnsweredWithin(_) => Some(Metric::Answered),
            Metric::ServiceLevel | Metric::AbandonShare => Some(Metric::Offered),
            Metric::AbandonedWithin(_) => Some(Metric::Abandoned),
            _ => None,
        }
    }

    /// Every metric with a name of its own (all but the points of the
    /// waiting-time distribution), in declaration order.
    pub const NAMED: [Metric; 37] = [
        Metric::Offered,
        Metric::Answered,
        Metric::Abandoned,
        Metric::ClosedOut,
        Metric::Blocked,
        Metric::Reachability,
        Metric::ServiceLevel,
        Metric::Asa,
        Metric::WaitP90,
        Metric::AbandonShare,
        Metric::HandledHours,
        Metric::Cost,
        Metric::Backlog,
        Metric::Occupancy,
        Metric::Agents,
        Metric::AgentHours,
        Metric::BusyHours,
        Metric::ScheduledHours,
        Metric::SentAway,
        Metric::Callbacks,
        Metric::CallbacksMade,
        Metric::CallbackDelay,
        Metric::Redials,
        Metric::TransfersIn,
        Metric::Callers,
        Metric::CallerReachability,
        Metric::AttemptsPerCaller,
        Metric::AbsentHours,
        Metric::ExtraHours,
        Metric::ExtraCost,
        Metric::StaffCost,
        Metric::Booked,
        Metric::NoShows,
        Metric::Deflected,
        Metric::ServedEarly,
        Metric::TransactionTime,
        Metric::VisitShare,
    ];

    /// The metric of a name written by [`Metric::name`] (not the points of
    /// the waiting-time distribution, which have no name of their own).
    pub fn from_name(name: &str) -> Option<Metric> {
        Metric::NAMED.into_iter().find(|m| m.name() == name)
    }
}

/// The values a figure can take, which its confidence interval respects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bounds {
    /// A share: within [0, 1].
    Share,
    /// A count, a duration, hours, agents or money: at least 0.
    NonNegative,
}

impl serde::Serialize for Metric {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> serde::Deserialize<'de> for Metric {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Metric, D::Error> {
        let name = String::deserialize(d)?;
        Metric::from_name(&name)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown metric `{name}`")))
    }
}

#[cfg(test)]
mod tests {
    use super::Metric;

    #[test]
    fn every_named_metric_reads_back_from_its_name() {
        for m in Metric::NAMED {
            assert_eq!(Metric::from_name(m.name()), Some(m));
        }
        assert_eq!(Metric::from_name("answered_within"), None);
    }

    #[test]
    fn the_shares_are_the_ratios_within_0_and_1() {
        let shares: Vec<&str> = Metric::NAMED
            .into_iter()
            .filter(|m| m.is_share())
            .map(Metric::name)
            .collect();
        assert_eq!(
            shares,
            [
                "reachability",
                "service_level",
                "abandon_share",
                "occupancy",
                "caller_reachability",
                "served_early",
                "visit_share"
            ]
        );
        assert!(Metric::AnsweredWithin(60).is_share());
        assert!(Metric::AbandonedWithin(60).is_share());
        assert_eq!(Metric::Occupancy.bounds(), super::Bounds::Share);
        assert_eq!(Metric::Cost.bounds(), super::Bounds::NonNegative);
        // Only a share has trials, and they are counts.
        for m in Metric::NAMED {
            if let Some(t) = m.trials() {
                assert!(m.is_share() && !t.is_share(), "{m:?}");
            }
        }
    }

    #[test]
    fn a_metric_is_written_by_its_name() {
        assert_eq!(
            serde_json::to_string(&Metric::AbandonShare).unwrap(),
            "\"abandon_share\""
        );
        let m: Metric = serde_json::from_str("\"occupancy\"").unwrap();
        assert_eq!(m, Metric::Occupancy);
        assert!(serde_json::from_str::<Metric>("\"nope\"").is_err());
    }
}
