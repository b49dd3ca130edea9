-- Complaint handling per group (SPEC §3, §5, §8 `report complaints`); service key is 'complaint'.
-- satisfaction_rate = (very_satisfied + satisfied) / (very_satisfied + satisfied + dissatisfied): unreachable
-- and not-yet-surveyed complaints are outside the rate. open = complaints with at least one step open.
-- resolved_on_time_rate (not a column of `report`; the overview's card) = resolved_on_time / complaints.
-- Parameters as compliance.sql.
select
    group_k1($level, city_code, manager_id, tier, service_code) as k1,
    group_k2($level, district_code) as k2,
    count(*) as complaints,
    count(*) filter (where first_contact_status = 'on_time') as first_contact_on_time,
    count(*) filter (where resolve_status = 'on_time') as resolved_on_time,
    count(*) filter (where return_visit_status = 'on_time') as return_visit_on_time,
    count(*) filter (where satisfaction = 'very_satisfied') as very_satisfied,
    count(*) filter (where satisfaction = 'satisfied') as satisfied,
    count(*) filter (where satisfaction = 'dissatisfied') as dissatisfied,
    count(*) filter (where satisfaction = 'unreachable') as unreachable,
    count(*) filter (
        where 'open' in (first_contact_status, resolve_status, return_visit_status)
    ) as open,
    rate(
        count(*) filter (where satisfaction in ('very_satisfied', 'satisfied')),
        count(*) filter (where satisfaction in ('very_satisfied', 'satisfied', 'dissatisfied'))
    ) as satisfaction_rate,
    rate(count(*) filter (where resolve_status = 'on_time'), count(*)) as resolved_on_time_rate
from complaint_items($date_from, $date_to, $as_of, $scope_city, $scope_district)
group by all
order by k1, k2
