-- complaint_quality_items(date_from, date_to, as_of, scope_city, scope_district): each complaint of the window
-- with its quality verdicts (SPEC §12, 第六十二条: 一次成功率, 越级投诉, 重复投诉). A table macro stored in the
-- database; reads complaint_facts (queries/build/complaint_facts.sql: category key, repeat, next complaint).
-- The complaints, their window, place, manager, tier and service key are complaint_items' (received inside the
-- window and on or before as_of).
--   * repeat: the same customer had a complaint of the same category received 1 to 30 days before (any
--     accepted complaint, inside the window or not);
--   * resolved: resolved_at dated on or before as_of;
--   * first_time: resolved, no complaint of the same customer and category with a later received_at dated on or
--     before as_of and at most 30 days after the resolution's date, and resolution date + 30 on or before as_of;
--   * first_time_open: resolved, no such complaint known yet, and resolution date + 30 after as_of.
create or replace macro complaint_quality_items(date_from, date_to, as_of, scope_city, scope_district) as table
with known as (
    select
        k.*,
        k.resolved_at::date <= as_of::date as resolved,
        coalesce(
            k.next_received_at::date <= k.resolved_at::date + 30 and k.next_received_at::date <= as_of::date, false
        ) as followed
    from complaint_facts as k
    where k.received_at::date between date_from::date and date_to::date
        and k.received_at::date <= as_of::date
        and (scope_city is null or k.city_code = scope_city)
        and (scope_district is null or k.district_code = scope_district)
)

select
    complaint_id, customer_id, city_code, district_code, manager_id, tier, 'complaint' as service_code,
    received_at, resolved_at, category_key, escalated, is_repeat,
    coalesce(resolved, false) as resolved,
    coalesce(resolved and not followed and resolved_at::date + 30 <= as_of::date, false) as first_time,
    coalesce(resolved and not followed and resolved_at::date + 30 > as_of::date, false) as first_time_open,
    next_received_at
from known
