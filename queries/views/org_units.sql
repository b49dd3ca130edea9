-- Cities and districts the reader may see (SPEC §2, §7), for pickers and labels.
-- Parameters: $scope_city, $scope_district.
select city_code, city_name, district_code, district_name
from org_units
where ($scope_city is null or city_code = $scope_city)
    and ($scope_district is null or district_code = $scope_district)
order by city_code, district_code
