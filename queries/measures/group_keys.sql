-- group_k1 / group_k2: the key values of a row at a report level (SPEC §8): province — none; city — city_code;
-- district — city_code, district_code; manager — manager_id ('' when none); tier; service. Scalar macros.
create or replace macro group_k1(level, city_code, manager_id, tier, service_code) as
    case
        when level in ('city', 'district') then coalesce(city_code, '')
        when level = 'manager' then coalesce(manager_id, '')
        when level = 'tier' then coalesce(tier, '')
        when level = 'service' then service_code
        else ''
    end;
create or replace macro group_k2(level, district_code) as
    case when level = 'district' then coalesce(district_code, '') else '' end;
