-- Return visits by day, week or month of completion (SPEC §12, 第五十五条: 按日、周、月进行回访情况的统计分析).
-- Parameters: $grain ('day', 'week' or 'month'), $date_from, $date_to, $as_of, $scope_city, $scope_district and
-- the filters $city, $district, $manager, $service (null = any). on_time_rate = on_time / (on_time + missed),
-- satisfaction_rate as the report's (the rate macro).
select
    date_trunc($grain, completed_date)::date as bucket,
    count(*) as orders,
    count(*) filter (where status = 'on_time') as on_time,
    count(*) filter (where same_day) as same_day,
    count(*) filter (where status = 'missed') as missed,
    count(*) filter (where status = 'open') as open,
    sum(followups)::bigint as followups,
    sum(followups_done)::bigint as followups_done,
    rate(count(*) filter (where status = 'on_time'), count(*) filter (where status <> 'open')) as on_time_rate,
    rate(
        count(*) filter (where satisfaction in ('very_satisfied', 'satisfied')),
        count(*) filter (where satisfaction in ('very_satisfied', 'satisfied', 'dissatisfied'))
    ) as satisfaction_rate
from return_visit_items($date_from, $date_to, $as_of, $scope_city, $scope_district)
where ($city is null or city_code = $city)
    and ($district is null or district_code = $district)
    and ($manager is null or coalesce(manager_id, '') = $manager)
    and ($service is null or service_code = $service)
group by all
order by bucket
