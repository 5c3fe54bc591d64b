//! The metric definitions printed in reports (the README and
//! `docs/scenario.md` §6 give the same ones).

/// Each metric's name and what it means.
pub const DEFINITIONS: &[(&str, &str)] = &[
    (
        "offered",
        "Contacts that arrived (each attempt counts, as in the published figures).",
    ),
    ("answered", "Contacts picked up by an agent."),
    (
        "abandoned",
        "Callers and chatters who hung up while waiting.",
    ),
    (
        "blocked",
        "Calls and chats turned away by a full queue (the line's max_queue): a busy signal.",
    ),
    (
        "sent_away",
        "Calls that heard the expected-wait announcement (the line's announcement) and hung up.",
    ),
    (
        "callbacks",
        "Calls that left the queue with a callback request (the line's callback offer); \
         callbacks_made of them were called back by an agent, callback_delay seconds after the \
         request on average. They count as not answered in reachability.",
    ),
    (
        "transfers_in",
        "Calls transferred in from another theme's answered calls (the theme's transfer), counted \
         in offered and as new callers of this theme.",
    ),
    (
        "redials",
        "Attempts that were redials of a caller whose earlier attempt failed (included in offered).",
    ),
    (
        "caller_reachability",
        "Per caller, not per attempt: the share of distinct callers answered at some attempt (or \
         called back), among callers whose story ended within the horizon; callers counts them \
         where they first came, attempts_per_caller is attempts over callers.",
    ),
    (
        "closed_out",
        "Calls and chats still waiting when their line closed.",
    ),
    (
        "reachability",
        "Calls and chats: answered / offered. E-mail: the share of received e-mails picked up within \
         the SLA (sla_working_days working days), among those whose fate is known at the end of the \
         horizon. Total: calls and chats answered plus e-mails on time, over calls and chats offered \
         plus e-mails whose fate is known.",
    ),
    (
        "service_level",
        "Calls and chats answered within the channel's threshold / offered (abandoned and closed-out \
         contacts count in the denominator).",
    ),
    (
        "asa",
        "Average speed of answer: mean wait of answered contacts, in seconds (for e-mail, the pick-up \
         delay, nights and weekends included).",
    ),
    (
        "wait_p90",
        "90th percentile of the wait of answered calls or chats, in seconds (5-second histogram).",
    ),
    ("abandon_share", "Abandoned / offered."),
    (
        "handled_hours",
        "Handle time of answered contacts, in hours.",
    ),
    (
        "cost",
        "Handled seconds × the unit price of the theme (else of its line).",
    ),
    ("backlog", "E-mails waiting at the end of the day."),
    (
        "occupancy",
        "Pool: busy agent time / agent time on duty; a chat counts 1/concurrency.",
    ),
    (
        "agents",
        "Pool: mean number of agents on duty in the interval (after shrinkage).",
    ),
    (
        "agent_hours",
        "Pool: hours on duty after shrinkage, including agents finishing a contact after their shift.",
    ),
    ("busy_hours", "Pool: hours busy with contacts."),
    (
        "scheduled_hours",
        "Pool: hours of the pool's own agents scheduled before shrinkage (what is paid for, absences \
         included).",
    ),
    (
        "absent_hours",
        "Pool with absenteeism: scheduled hours of agents absent for the whole day (paid, not worked).",
    ),
    (
        "extra_hours",
        "Pool with extra support: hours of temporary extra agents on duty.",
    ),
    (
        "extra_cost",
        "Extra support: extra hours × their price per hour, reported apart from cost.",
    ),
    (
        "staff_cost",
        "Pool with an hour_price: scheduled_hours × hour_price (the pool's own agents, absences \
         included; extra support not); the total sums the pools'. Reported apart from cost and \
         extra_cost.",
    ),
    (
        "total_cost",
        "Total, when some pool has an hour_price: cost + staff_cost + extra_cost, added in each \
         replication.",
    ),
];

/// The figures of the front desk, shown in reports of scenarios with visits.
pub const VISIT_DEFINITIONS: &[(&str, &str)] = &[
    (
        "visits",
        "Visit channel: offered counts the visitors who checked in at the kiosk, answered those \
         called to a desk, closed_out those still waiting when the desks closed; asa is the mean \
         wait from check-in to the call to a desk.",
    ),
    (
        "booked",
        "Appointments booked for the product, including the no-shows (booked = visitors with an \
         appointment + no_shows).",
    ),
    ("no_shows", "Booked visitors who did not come."),
    (
        "deflected",
        "Slots left free because the citizen used the digital counter instead (the product's \
         deflection).",
    ),
    (
        "served_early",
        "Share of the appointment visitors served who were called to a desk before their \
         appointment time.",
    ),
    (
        "transaction_time",
        "Mean handle time at the desk of the visitors served, in seconds.",
    ),
    (
        "visit_share",
        "A weekday's share of the horizon's visitors; of a clock hour on a weekday, its share of \
         that weekday's visitors.",
    ),
];

/// How every figure is reported.
pub const ESTIMATES: &str = "Every figure is the mean over Monte Carlo replications with its 95% \
confidence interval (Student t) and the 5th, 50th and 95th percentiles of the replications' values. \
Every contact outcome belongs to the interval and day in which the contact arrived.";
