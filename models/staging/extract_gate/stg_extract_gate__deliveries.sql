with

source as (

    select * from {{ source('extract_gate', 'deliveries') }}

),

renamed as (

    select
        extract,
        file,
        status,
        cast(rows_in as bigint) as rows_in,
        cast(rows_validated as bigint) as rows_validated,
        cast(rows_quarantined as bigint) as rows_quarantined,
        cast(bytes as bigint) as bytes,
        sha256,
        cast(gated_at as timestamp with time zone) as gated_at,
        nullif(acknowledged, '') as acknowledged

    from source

)

select * from renamed
