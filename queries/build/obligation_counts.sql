-- Obligations counted per group and period (SPEC §5, §8): what every compliance count needs, without a row per
-- customer. A report filters periods by the window (period_start >= from, period_end <= to), splits them into
-- closed (period_end <= as_of) and open, and sums. Reads obligations. No parameters.
select
    city_code, district_code, manager_id, tier, service_code, period_start, period_end,
    count(*)::bigint as obligations,
    count(*) filter (where completed >= n)::bigint as met
from obligations
group by all
