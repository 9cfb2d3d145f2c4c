-- Every KPI is computed from named event series. This is the one place a series is
-- defined, as a filter on one fact:
--   crime series    fct_crimes, on the recorded date, valued at the harm weight;
--   outcome series  the standing outcome of each recorded crime, on the outcome date;
--   call series     fct_calls, on the local date presented, valued at the seconds to
--                   answer (answered calls) or to abandon (abandoned calls);
--   incident series fct_incidents, on the local date created, valued at the response
--                   seconds (attended incidents).
-- The KPI catalogue (seeds/kpi/kpi_catalogue.csv) names the series each KPI uses.
-- A table: the daily aggregates, the medians and the neighbourhood breakdown all read it.
{{ config(materialized='table') }}
{%- set crime_series = {
    'recorded_crime': 'true',
    'domestic_abuse_crime': 'is_domestic_abuse',
    'domestic_abuse_violence_with_injury_crime': 'is_domestic_abuse and is_violence_with_injury',
    'vawg_crime': 'is_violence_against_women_and_girls',
    'sexual_offence_crime': 'is_sexual_offence',
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
