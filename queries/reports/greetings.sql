-- Birthday greeting compliance per group (SPEC §3, §5, §8 `report greetings`); service key is 'greeting'.
-- Parameters as compliance.sql.
select
    group_k1($level, city_code, manager_id, tier, service_code) as k1,
    group_k2($level, district_code) as k2,
    count(*) filter (where status <> 'open') as obligations,
    count(*) filter (where status = 'met') as met,
    count(*) filter (where status = 'missed') as missed,
    count(*) filter (where status = 'open') as open,
    rate(count(*) filter (where status = 'met'), count(*) filter (where status <> 'open')) as rate
from greeting_items($date_from, $date_to, $as_of, $scope_city, $scope_district)
group by all
order by k1, k2
