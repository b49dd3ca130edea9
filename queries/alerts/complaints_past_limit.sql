-- Complaints still open past their limit (SPEC §9 alerts): received in the window, with a step whose time is
-- still missing on the as-of date although its limit has passed (complaint_items judges it 'late' while the time
-- is missing), counted per group of $level (city, district or manager).
-- Parameters: $level, $date_from, $date_to, $as_of.
select
    group_k1($level, city_code, manager_id, tier, service_code) as k1,
    group_k2($level, district_code) as k2,
    count(*)::bigint as complaints
from complaint_items($date_from, $date_to, $as_of, null, null)
where (first_contact_status = 'late' and first_contact_at is null)
    or (resolve_status = 'late' and resolved_at is null)
    or (return_visit_status = 'late' and return_visit_at is null)
group by all
order by k1, k2
