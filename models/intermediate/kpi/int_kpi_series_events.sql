-- Every KPI is computed from named event series. This is the one place a series is
-- defined, as a filter on one fact:
--   crime series    fct_crimes, on the recorded date, valued at the harm weight;
--   outcome series  the standing outcome of each recorded crime, on the outcome date;
--   call series     fct_calls, on the local date presented, valued at the seconds to
--                   answer (answered calls) or to abandon (abandoned calls);
--   incident series fct_incidents, on the local date created, valued at the response
--                   seconds (attended incidents);
--   return series   fct_periodic_returns: every measure of every periodic return is a
--                   series of its own, named <return_id>.<measure> (workforce.
--                   officers_headcount), on the return's period end, valued at its
--                   figure, force-wide. No filter to add: a new return measure is a row
--                   of ref_return_measures;
--   roads series    fct_road_casualties (collision date), fct_roads_enforcement_actions
--                   (action date), fct_dashcam_submissions (submitted date),
--                   fct_vehicle_seizures (seized date), fct_orders_and_civil_interventions
--                   (order date): counts, no value;
--   stop search series   fct_stop_searches, on the local date of the search;
--   use of force series  fct_uses_of_force, on the date force was used.
-- The KPI catalogue (seeds/kpi/kpi_catalogue.csv) names the series each KPI uses.
-- A view, never written out (25 million rows on the demo extracts): it is counted per
-- day and neighbourhood once (int_kpi_series_daily_by_neighbourhood), and the median
-- series alone keep their events (int_kpi_series_median_events).
{%- set crime_series = {
    'recorded_crime': 'true',
    'domestic_abuse_crime': 'is_domestic_abuse',
    'domestic_abuse_violence_with_injury_crime': 'is_domestic_abuse and is_violence_with_injury',
    'vawg_crime': 'is_violence_against_women_and_girls',
    'sexual_offence_crime': 'is_sexual_offence',
    'other_sexual_offence_crime': "is_sexual_offence and offence_subgroup = 'Other sexual offences'",
    'serious_youth_violence_crime': 'is_serious_youth_violence',
    'homicide_crime': 'is_homicide',
    'domestic_homicide_crime': 'is_homicide and is_domestic_abuse',
    'knife_crime': 'is_knife_crime',
    'gun_crime': 'is_gun_crime',
    'violence_against_business_workers_crime':
        'is_violence_against_the_person and is_business_worker_victim',
    'violence_against_emergency_workers_crime':
        'is_violence_against_the_person and is_emergency_worker_victim',
    'violence_crime': 'is_violence_against_the_person',
    'bus_crime': "transport_location = 'bus'",
    'train_crime': "transport_location = 'train'",
    'metro_crime': "transport_location = 'metro'",
    'neighbourhood_crime': 'is_neighbourhood_crime',
    'vehicle_offences_crime': "neighbourhood_crime_type = 'vehicle_offences'",
    'residential_burglary_crime': "neighbourhood_crime_type = 'residential_burglary'",
    'personal_robbery_crime': "neighbourhood_crime_type = 'personal_robbery'",
    'theft_from_the_person_crime': "neighbourhood_crime_type = 'theft_from_the_person'",
    'business_crime': 'is_business_victim',
    'shoplifting_crime': 'is_shoplifting',
    'most_serious_violence_crime': 'is_most_serious_violence',
    'rape_crime': 'is_rape',
    'stalking_and_harassment_crime': "offence_subgroup = 'Stalking and harassment'",
} -%}
{%- set outcome_series = {
    'outcome': 'true',
    'positive_outcome': 'is_positive',
    'vawg_positive_outcome': 'is_positive and is_violence_against_women_and_girls',
    'violence_positive_outcome': 'is_positive and is_violence_against_the_person',
    'shoplifting_positive_outcome': 'is_positive and is_shoplifting',
    'outcome_code_16': "outcome_code = '16'",
    'outcome_code_15': "outcome_code = '15'",
    'out_of_court_resolution': 'is_out_of_court_resolution',
} -%}
{%- set call_series = {
    'calls_999': ("channel = '999'", 'null'),
    'calls_999_answered': ("channel = '999' and is_answered", 'answer_seconds'),
    'calls_999_answered_within_10s':
        ("channel = '999' and answer_seconds <= 10", 'answer_seconds'),
    'calls_999_abandoned_after_10s':
        ("channel = '999' and abandon_seconds > 10", 'abandon_seconds'),
    'calls_101': ("channel = '101'", 'null'),
    'calls_101_answered': ("channel = '101' and is_answered", 'answer_seconds'),
    'calls_101_answered_within_3min':
        ("channel = '101' and answer_seconds <= 180", 'answer_seconds'),
    'calls_101_abandoned_after_3min':
        ("channel = '101' and abandon_seconds > 180", 'abandon_seconds'),
} -%}
{%- set incident_series = {
    'emergency_incidents': "grade = 'emergency'",
    'emergency_incidents_attended': "grade = 'emergency' and is_attended",
    'emergency_incidents_attended_within_15min':
        "grade = 'emergency' and response_seconds <= 900",
    'priority_incidents': "grade = 'priority'",
    'priority_incidents_attended': "grade = 'priority' and is_attended",
    'priority_incidents_attended_within_1h': "grade = 'priority' and response_seconds <= 3600",
    'asb_incidents': 'asb_category is not null',
    'asb_nuisance_incidents': "asb_category = 'nuisance'",
    'asb_personal_incidents': "asb_category = 'personal'",
    'asb_environmental_incidents': "asb_category = 'environmental'",
    'street_racing_incidents': "opening_category = 'street_racing'",
} %}
{#- Roads and travel safety (section 4) and orders (10.6): one dict per fact, each
    series a filter on it, counted on the fact's date. -#}
{%- set road_casualty_series = {
    'road_fatalities': 'is_killed',
    'road_seriously_injured': 'is_seriously_injured',
} -%}
{%- set roads_enforcement_series = {
    'fatal_4_enforcement_actions': 'is_fatal_4_enforcement',
    'drink_drug_driving_arrests': 'is_drink_drug_driving_arrest',
} -%}
{%- set dashcam_series = {
    'dashcam_submissions': 'true',
    'dashcam_submissions_decided': 'is_decided',
    'dashcam_positive_outcomes': 'is_positive_outcome',
} -%}
{%- set vehicle_seizure_series = {
    'vehicle_seizures_unlawful_use': 'is_unlawful_use',
} -%}
{%- set order_series = {
    'orders_and_civil_interventions': 'is_issued_or_granted',
} -%}
{#- (fact CTE, its date, its neighbourhood, its series) -#}
{%- set roads_and_orders_facts = [
    ('road_casualties', 'collision_date', 'cast(null as varchar)', road_casualty_series),
    ('roads_enforcement_actions', 'action_date', 'neighbourhood_code', roads_enforcement_series),
    ('dashcam_submissions', 'submitted_date', 'neighbourhood_code', dashcam_series),
    ('vehicle_seizures', 'seized_date', 'neighbourhood_code', vehicle_seizure_series),
    ('orders_and_civil_interventions', 'order_date', 'neighbourhood_code', order_series),
] %}
{%- set stop_search_series = {
    'stop_searches_knife_found': 'is_knife_found',
    'stop_searches_firearm_found': 'is_firearm_found',
    'stop_searches_white': "officer_defined_ethnic_group = 'white'",
    'stop_searches_black': "officer_defined_ethnic_group = 'black'",
    'stop_searches_asian': "officer_defined_ethnic_group = 'asian'",
} %}
{%- set use_of_force_series = {
    'uses_of_force_white': "subject_perceived_ethnic_group = 'white'",
    'uses_of_force_black': "subject_perceived_ethnic_group = 'black'",
    'uses_of_force_asian': "subject_perceived_ethnic_group = 'asian'",
} %}

with

crimes as (

    select * from {{ ref('fct_crimes') }}

),

outcomes as (

    select * from {{ ref('fct_crime_outcomes') }}

),

calls as (

    select * from {{ ref('fct_calls') }}

),

incidents as (

    select * from {{ ref('fct_incidents') }}

),

periodic_returns as (

    select * from {{ ref('fct_periodic_returns') }}

),

road_casualties as (

    select * from {{ ref('fct_road_casualties') }}

),

roads_enforcement_actions as (

    select * from {{ ref('fct_roads_enforcement_actions') }}

),

dashcam_submissions as (

    select * from {{ ref('fct_dashcam_submissions') }}

),

vehicle_seizures as (

    select * from {{ ref('fct_vehicle_seizures') }}

),

orders_and_civil_interventions as (

    select * from {{ ref('fct_orders_and_civil_interventions') }}

),

stop_searches as (

    select * from {{ ref('fct_stop_searches') }}

),

uses_of_force as (

    select * from {{ ref('fct_uses_of_force') }}

),

standing_outcomes as (

    select
        outcomes.outcome_date,
        outcomes.outcome_code,
        outcomes.is_positive,
        outcomes.is_out_of_court_resolution,
        crimes.lpa_code,
        crimes.neighbourhood_code,
        crimes.is_violence_against_women_and_girls,
        crimes.is_violence_against_the_person,
        crimes.is_shoplifting

    from outcomes
    inner join crimes
        on outcomes.crime_id = crimes.crime_id
    where outcomes.is_current_outcome

),

events as (

    {% for series_id, filter in crime_series.items() %}
        select
            '{{ series_id }}' as series_id,
            recorded_date as event_date,
            lpa_code,
            neighbourhood_code,
            cast(harm_weight_days as double) as event_value
        from crimes
        where {{ filter }}

        union all

    {% endfor %}
    {%- for series_id, filter in outcome_series.items() %}
        select
            '{{ series_id }}' as series_id,
            outcome_date as event_date,
            lpa_code,
            neighbourhood_code,
            cast(null as double) as event_value
        from standing_outcomes
        where {{ filter }}

        union all

    {% endfor %}
    {%- for series_id, (filter, value) in call_series.items() %}
        select
            '{{ series_id }}' as series_id,
            presented_date as event_date,
            cast(null as varchar) as lpa_code,
            cast(null as varchar) as neighbourhood_code,
            cast({{ value }} as double) as event_value
        from calls
        where {{ filter }}

        union all

    {% endfor %}
    select
        {{ dbt.concat(['return_id', "'.'", 'measure']) }} as series_id,
        period_end as event_date,
        cast(null as varchar) as lpa_code,
        cast(null as varchar) as neighbourhood_code,
        cast(return_value as double) as event_value
    from periodic_returns

    union all

    {%- for fact, date_column, neighbourhood, fact_series in roads_and_orders_facts %}
        {%- for series_id, filter in fact_series.items() %}
            select
                '{{ series_id }}' as series_id,
                {{ date_column }} as event_date,
                lpa_code,
                {{ neighbourhood }} as neighbourhood_code,
                cast(null as double) as event_value
            from {{ fact }}
            where {{ filter }}

            union all

        {% endfor %}
    {%- endfor %}
    {%- for series_id, filter in stop_search_series.items() %}
        select
            '{{ series_id }}' as series_id,
            searched_date as event_date,
            lpa_code,
            neighbourhood_code,
            cast(null as double) as event_value
        from stop_searches
        where {{ filter }}

        union all

    {% endfor %}
    {%- for series_id, filter in use_of_force_series.items() %}
        select
            '{{ series_id }}' as series_id,
            incident_date as event_date,
            lpa_code,
            neighbourhood_code,
            cast(null as double) as event_value
        from uses_of_force
        where {{ filter }}

        union all

    {% endfor %}
    {%- for series_id, filter in incident_series.items() %}
        select
            '{{ series_id }}' as series_id,
            created_date as event_date,
            lpa_code,
            neighbourhood_code,
            cast(response_seconds as double) as event_value
        from incidents
        where {{ filter }}
        {% if not loop.last %}
            union all
        {% endif %}
    {%- endfor %}

)

select * from events
