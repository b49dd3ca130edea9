-- complaint_items(date_from, date_to, as_of, scope_city, scope_district): each complaint received inside the
-- window with the status of its three steps (SPEC §3 complaint standards, §5). A table macro stored in the
-- database; reads complaint_facts (queries/build/complaint_facts.sql).
--   * level = tiers.complaint_level of the tier in effect on the day received; limits from complaint_levels;
--   * first contact / resolution: on_time when the elapsed time from received_at is at most the limit;
--   * return visit: on_time when its date is at most return_visit_days after the resolution's date;
--   * a missing time (or one recorded after as_of, which as of that date was not yet known) is 'open' while
--     it could still be on time: a limit at or after 00:00 of the day after as_of, a return visit whose last
--     on-time day is after as_of, or one whose resolution is itself still missing; otherwise it is 'late'.
--     A return visit recorded while the resolution is missing cannot be judged yet: it is open too.
--   * manager = the complaint's own manager_id, else the customer's account manager.
create or replace macro complaint_items(date_from, date_to, as_of, scope_city, scope_district) as table
with known as (
    select
        k.complaint_id, k.customer_id, k.city_code, k.district_code, k.manager_id, k.tier, k.level,
        k.first_contact_hours, k.resolve_hours, k.return_visit_days,
        k.received_at, k.satisfaction, k.dissatisfied_reason,
        -- times after the as-of date are not known yet as of that date
        case when k.first_contact_at < (as_of::date + 1) then k.first_contact_at end as first_contact_at,
        case when k.resolved_at < (as_of::date + 1) then k.resolved_at end as resolved_at,
        case when k.return_visit_at < (as_of::date + 1) then k.return_visit_at end as return_visit_at,
        (as_of::date + 1)::timestamp as cutoff
    from complaint_facts as k
    where k.received_at::date between date_from::date and date_to::date
        and k.received_at::date <= as_of::date
        and (scope_city is null or k.city_code = scope_city)
        and (scope_district is null or k.district_code = scope_district)
),

judged as (
    select
        *,
        case
            when first_contact_at is not null then
                case when first_contact_at <= received_at + to_hours(first_contact_hours) then 'on_time' else 'late' end
            when received_at + to_hours(first_contact_hours) >= cutoff then 'open'
            else 'late'
        end as first_contact_status,
        case
            when resolved_at is not null then
                case when resolved_at <= received_at + to_hours(resolve_hours) then 'on_time' else 'late' end
            when received_at + to_hours(resolve_hours) >= cutoff then 'open'
            else 'late'
        end as resolve_status
    from known
)

select
    complaint_id, customer_id, city_code, district_code, manager_id, tier, level, 'complaint' as service_code,
    received_at, first_contact_at, resolved_at, return_visit_at, satisfaction, dissatisfied_reason,
    first_contact_status, resolve_status,
    case
        -- with the resolution still missing, a return visit could still come within 3 days of it: open
        when resolved_at is null then 'open'
        when return_visit_at is not null then
            case when return_visit_at::date <= resolved_at::date + return_visit_days then 'on_time' else 'late' end
        when resolved_at::date + return_visit_days > as_of::date then 'open'
        else 'late'
    end as return_visit_status
from judged
