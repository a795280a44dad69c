import Testing
import JSONValue
@testable import SearchEngine

/// Every aggregation with the exact buckets and values ES 7.10 returns for the movies corpus.
@Suite struct AggregationTests {
    let engine: SearchEngine
    init() throws { engine = try SearchEngine.withMovies() }

    func aggregations(_ aggs: String, query: String = #"{"match_all":{}}"#) throws -> JSON {
        try #require(try engine.searchBody("movies", #"{"size":0,"query":\#(query),"aggs":\#(aggs)}"#)["aggregations"])
    }

    @Test func termsCountsDocumentsPerValue() throws {
        let result = try aggregations(#"{"genres":{"terms":{"field":"genre.keyword","size":2}}}"#)
        #expect(result.serialized() == #"{"genres":{"doc_count_error_upper_bound":0,"sum_other_doc_count":2,"buckets":[{"key":"drama","doc_count":2},{"key":"action","doc_count":1}]}}"#)
        let years = try aggregations(#"{"years":{"terms":{"field":"year"}}}"#)
        #expect(years["years"]?["buckets"] == json(#"[{"key":2012,"doc_count":2},{"key":1999,"doc_count":1},{"key":2005,"doc_count":1},{"key":2020,"doc_count":1}]"#))
        let flags = try aggregations(#"{"available":{"terms":{"field":"available"}}}"#)
        #expect(flags["available"]?["buckets"]?.serialized() == #"[{"key":1,"key_as_string":"true","doc_count":3},{"key":0,"key_as_string":"false","doc_count":1}]"#)
        let tags = try aggregations(#"{"tags":{"terms":{"field":"tags.keyword","order":{"_key":"desc"}}}}"#)
        #expect(tags["tags"]?["buckets"] == json(#"[{"key":"music","doc_count":1},{"key":"heist","doc_count":1},{"key":"classic","doc_count":1},{"key":"animals","doc_count":2}]"#))
        let unmapped = try aggregations(#"{"x":{"terms":{"field":"nothing"}}}"#)
        #expect(unmapped["x"] == json(#"{"doc_count_error_upper_bound":0,"sum_other_doc_count":0,"buckets":[]}"#))
    }

    @Test func termsWithSubAggregationsAndAQuery() throws {
        let result = try aggregations(#"{"genres":{"terms":{"field":"genre.keyword"},"aggs":{"avg_rating":{"avg":{"field":"rating"}},"newest":{"max":{"field":"year"}}}}}"#,
                                      query: #"{"range":{"year":{"gte":2005}}}"#)
        let buckets = try #require(result["genres"]?["buckets"]?.arrayValue)
        #expect(buckets.count == 3)
        #expect(buckets[0].serialized() == #"{"key":"drama","doc_count":2,"avg_rating":{"value":5.549999952316284},"newest":{"value":2012.0}}"#)
        #expect(buckets[1] == json(#"{"key":"action","doc_count":1,"avg_rating":{"value":8.199999809265137},"newest":{"value":2012.0}}"#))
    }

    @Test func histogramBucketsNumbersAndFillsGaps() throws {
        let decades = try aggregations(#"{"decades":{"histogram":{"field":"year","interval":10}}}"#)
        #expect(decades.serialized() == #"{"decades":{"buckets":[{"key":1990.0,"doc_count":1},{"key":2000.0,"doc_count":1},{"key":2010.0,"doc_count":2},{"key":2020.0,"doc_count":1}]}}"#)
        let gaps = try aggregations(#"{"y":{"histogram":{"field":"year","interval":5}}}"#)
        #expect(gaps["y"]?["buckets"]?.arrayValue?.map { $0["key"]! } == [1995.0, 2000.0, 2005.0, 2010.0, 2015.0, 2020.0])
        #expect(gaps["y"]?["buckets"]?.arrayValue?.map { $0["doc_count"]! } == [1, 0, 1, 2, 0, 1])
        let ratings = try aggregations(#"{"r":{"histogram":{"field":"rating","interval":2,"min_doc_count":1}}}"#)
        #expect(ratings["r"]?["buckets"] == json(#"[{"key":4.0,"doc_count":2},{"key":6.0,"doc_count":2},{"key":8.0,"doc_count":1}]"#))
    }

    @Test func dateHistogramCalendarAndFixedIntervals() throws {
        let years = try aggregations(#"{"by_year":{"date_histogram":{"field":"released","calendar_interval":"year","min_doc_count":1}}}"#)
        #expect(years["by_year"]?["buckets"]?.serialized() == #"[{"key_as_string":"1999-01-01T00:00:00.000Z","key":915148800000,"doc_count":1},{"key_as_string":"2005-01-01T00:00:00.000Z","key":1104537600000,"doc_count":1},{"key_as_string":"2012-01-01T00:00:00.000Z","key":1325376000000,"doc_count":2},{"key_as_string":"2020-01-01T00:00:00.000Z","key":1577836800000,"doc_count":1}]"#)
        let months = try aggregations(#"{"m":{"date_histogram":{"field":"released","calendar_interval":"1M"}}}"#, query: #"{"range":{"year":{"gte":2012,"lte":2012}}}"#)
        let buckets = try #require(months["m"]?["buckets"]?.arrayValue)
        #expect(buckets.count == 11)
        #expect(buckets.first?["key_as_string"] == "2012-01-01T00:00:00.000Z")
        #expect(buckets.last?["key_as_string"] == "2012-11-01T00:00:00.000Z")
        #expect(buckets.map { $0["doc_count"]!.intValue! }.reduce(0, +) == 2)
        let quarters = try aggregations(#"{"q":{"date_histogram":{"field":"released","calendar_interval":"quarter","min_doc_count":1}}}"#, query: #"{"term":{"year":2012}}"#)
        #expect(quarters["q"]?["buckets"]?.arrayValue?.map { $0["key_as_string"]! } == ["2012-01-01T00:00:00.000Z", "2012-10-01T00:00:00.000Z"])
        let weeks = try aggregations(#"{"w":{"date_histogram":{"field":"released","calendar_interval":"week","min_doc_count":1}}}"#, query: #"{"term":{"year":2020}}"#)
        #expect(weeks["w"]?["buckets"] == json(#"[{"key_as_string":"2020-12-21T00:00:00.000Z","key":1608508800000,"doc_count":1}]"#))
        let fixed = try aggregations(#"{"f":{"date_histogram":{"field":"released","fixed_interval":"30d","min_doc_count":1}}}"#)
        let keys = fixed["f"]?["buckets"]?.arrayValue?.compactMap { $0["key"]?.intValue } ?? []
        #expect(keys.count == 5)
        #expect(keys.allSatisfy { $0 % 2_592_000_000 == 0 })
        let bad = #expect(throws: ElasticsearchError.self) { try aggregations(#"{"b":{"date_histogram":{"field":"released","calendar_interval":"2d"}}}"#) }
        #expect(bad?.reason == "The supplied interval [2d] could not be parsed as a calendar interval.")
    }

    @Test func metricAggregations() throws {
        let result = try aggregations(#"{"min":{"min":{"field":"year"}},"max":{"max":{"field":"year"}},"avg":{"avg":{"field":"year"}},"sum":{"sum":{"field":"year"}},"count":{"value_count":{"field":"year"}},"distinct":{"cardinality":{"field":"year"}},"genres":{"cardinality":{"field":"genre.keyword"}}}"#)
        #expect(result.serialized() == #"{"min":{"value":1999.0},"max":{"value":2020.0},"avg":{"value":2009.6},"sum":{"value":10048.0},"count":{"value":5},"distinct":{"value":4},"genres":{"value":4}}"#)
        let dates = try aggregations(#"{"first":{"min":{"field":"released"}}}"#)
        #expect(dates.serialized() == #"{"first":{"value":9.255168E11,"value_as_string":"1999-05-01T00:00:00.000Z"}}"#)
        let empty = try aggregations(#"{"min":{"min":{"field":"year"}},"sum":{"sum":{"field":"year"}},"avg":{"avg":{"field":"year"}},"n":{"value_count":{"field":"year"}}}"#,
                                     query: #"{"match_none":{}}"#)
        #expect(empty.serialized() == #"{"min":{"value":null},"sum":{"value":0.0},"avg":{"value":null},"n":{"value":0}}"#)
    }

    /// `stats` and `extended_stats` as ES 7.10 prints them: years 1999, 2005, 2012, 2012, 2020.
    @Test func statsAndExtendedStats() throws {
        let stats = try aggregations(#"{"s":{"stats":{"field":"year"}}}"#)
        #expect(stats.serialized() == #"{"s":{"count":5,"min":1999.0,"max":2020.0,"avg":2009.6,"sum":10048.0}}"#)
        let extended = try #require(try aggregations(#"{"e":{"extended_stats":{"field":"year","sigma":3}}}"#)["e"])
        #expect(extended["count"] == 5)
        #expect(extended["sum_of_squares"] == 20_192_714.0)
        // Σx² − (Σx)²/n = 253.2: population variance 253.2 / 5, sample variance 253.2 / 4.
        let population = try #require(extended["variance"]?.doubleValue), sampling = try #require(extended["variance_sampling"]?.doubleValue)
        #expect(abs(population - 50.64) < 1e-6 && extended["variance_population"]?.doubleValue == population)
        #expect(abs(sampling - 63.3) < 1e-6)
        #expect(extended["std_deviation"]?.doubleValue == population.squareRoot())
        #expect(extended["std_deviation_sampling"]?.doubleValue == sampling.squareRoot())
        let bounds = try #require(extended["std_deviation_bounds"]?.objectValue)
        #expect(bounds.keys == ["upper", "lower", "upper_population", "lower_population", "upper_sampling", "lower_sampling"])
        #expect(bounds["upper"]?.doubleValue == 2009.6 + 3 * population.squareRoot())
        #expect(bounds["lower_sampling"]?.doubleValue == 2009.6 - 3 * sampling.squareRoot())
        let dates = try aggregations(#"{"d":{"stats":{"field":"released"}}}"#, query: #"{"term":{"year":1999}}"#)
        #expect(dates.serialized() == #"{"d":{"count":1,"min":9.255168E11,"max":9.255168E11,"avg":9.255168E11,"sum":9.255168E11,"min_as_string":"1999-05-01T00:00:00.000Z","max_as_string":"1999-05-01T00:00:00.000Z","avg_as_string":"1999-05-01T00:00:00.000Z","sum_as_string":"1999-05-01T00:00:00.000Z"}}"#)
        let one = try #require(try aggregations(#"{"e":{"extended_stats":{"field":"year"}}}"#, query: #"{"term":{"year":2020}}"#)["e"])
        #expect(one["variance"] == 0.0 && one["variance_sampling"] == "NaN" && one["std_deviation_sampling"] == "NaN")
        #expect(one["std_deviation_bounds"]?["upper_sampling"] == "NaN" && one["std_deviation_bounds"]?["upper"] == 2020.0)
        let dated = try #require(try aggregations(#"{"e":{"extended_stats":{"field":"released"}}}"#, query: #"{"term":{"year":1999}}"#)["e"]?.objectValue)
        #expect(dated.keys.suffix(9) == ["std_deviation_bounds", "sum_of_squares_as_string", "variance_as_string", "variance_population_as_string",
                                         "variance_sampling_as_string", "std_deviation_as_string", "std_deviation_population_as_string",
                                         "std_deviation_sampling_as_string", "std_deviation_bounds_as_string"])
        #expect(dated["std_deviation_bounds_as_string"]?["upper"] == "1999-05-01T00:00:00.000Z")
        let empty = try aggregations(#"{"s":{"stats":{"field":"year"}},"e":{"extended_stats":{"field":"year"}}}"#, query: #"{"match_none":{}}"#)
        #expect(empty["s"]?.serialized() == #"{"count":0,"min":null,"max":null,"avg":null,"sum":0.0}"#)
        #expect(empty["e"]?.serialized() == #"{"count":0,"min":null,"max":null,"avg":null,"sum":0.0,"sum_of_squares":null,"variance":null,"variance_population":null,"variance_sampling":null,"std_deviation":null,"std_deviation_population":null,"std_deviation_sampling":null,"std_deviation_bounds":{"upper":null,"lower":null,"upper_population":null,"lower_population":null,"upper_sampling":null,"lower_sampling":null}}"#)
        // Sums of dates past Int64 print the farthest date there is instead of stopping the node.
        let far = try SearchEngine(dataPath: nil)
        _ = try far.createIndex("far", body: json(#"{"mappings":{"properties":{"when":{"type":"date"}}}}"#))
        for id in ["1", "2"] { _ = try far.put("far", id, #"{"when":9000000000000000000}"#) }
        let farStats = try far.searchBody("far", #"{"size":0,"aggs":{"s":{"stats":{"field":"when"}}}}"#)["aggregations"]?["s"]
        #expect(farStats?["sum_as_string"] == .string(DateMath.format(8_640_000_000_000_000)) && farStats?["count"] == 2)
        let keyword = #expect(throws: ElasticsearchError.self) { try aggregations(#"{"x":{"stats":{"field":"genre.keyword"}}}"#) }
        #expect(keyword?.reason == "Field [genre.keyword] of type [keyword] is not supported for aggregation [stats]")
        let sigma = #expect(throws: ElasticsearchError.self) { try aggregations(#"{"x":{"extended_stats":{"field":"year","sigma":-1}}}"#) }
        #expect(sigma?.reason == "[sigma] must be greater than or equal to 0. Found [-1] in [x]")
        let option = #expect(throws: ElasticsearchError.self) { try aggregations(#"{"x":{"stats":{"field":"year","missing":0}}}"#) }
        #expect(option?.reason == "[stats] unknown field [missing]")
        let nested = #expect(throws: ElasticsearchError.self) { try aggregations(#"{"x":{"stats":{"field":"year"},"aggs":{"y":{"min":{"field":"year"}}}}}"#) }
        #expect(nested?.reason == "Aggregator [x] of type [stats] cannot accept sub-aggregations")
    }

    /// `filter` and `filters` buckets are queries over the search's hits, with sub-aggregations.
    @Test func filterAndFiltersBuckets() throws {
        let recent = try aggregations(#"{"recent":{"filter":{"range":{"year":{"gte":2010}}},"aggs":{"best":{"max":{"field":"rating"}}}}}"#)
        #expect(recent.serialized() == #"{"recent":{"doc_count":3,"best":{"value":8.199999809265137}}}"#)
        let narrowed = try aggregations(#"{"quick":{"filter":{"match":{"title":"quick"}}}}"#, query: #"{"term":{"year":2012}}"#)
        #expect(narrowed.serialized() == #"{"quick":{"doc_count":1}}"#)
        // Named filters come back sorted by key; other_bucket_key turns the other bucket on.
        let named = try aggregations(#"{"f":{"filters":{"filters":{"z_drama":{"term":{"genre.keyword":"drama"}},"a_old":{"range":{"year":{"lt":2000}}}},"other_bucket_key":"rest"},"aggs":{"n":{"value_count":{"field":"year"}}}}}"#)
        #expect(named.serialized() == #"{"f":{"buckets":{"a_old":{"doc_count":1,"n":{"value":1}},"z_drama":{"doc_count":2,"n":{"value":2}},"rest":{"doc_count":2,"n":{"value":2}}}}}"#)
        let anonymous = try aggregations(#"{"f":{"filters":{"filters":[{"match":{"title":"brown"}},{"exists":{"field":"director.name"}}],"other_bucket":true}}}"#)
        #expect(anonymous.serialized() == #"{"f":{"buckets":[{"doc_count":2},{"doc_count":1},{"doc_count":2}]}}"#)
        for body in [#"{"filters":{}}"#, #"{"filters":[]}"#, #"{}"#] {
            let nothing = #expect(throws: ElasticsearchError.self) { try aggregations(#"{"f":{"filters":\#(body)}}"#) }
            #expect(nothing?.reason == "[filters] cannot be empty.", "\(body)")
        }
        let empty = try aggregations(#"{"f":{"filters":{"filters":{"none":{"term":{"genre.keyword":"western"}}}}}}"#)
        #expect(empty.serialized() == #"{"f":{"buckets":{"none":{"doc_count":0}}}}"#)
        let inTerms = try aggregations(#"{"g":{"terms":{"field":"genre.keyword","size":1},"aggs":{"good":{"filter":{"range":{"rating":{"gte":6}}}}}}}"#)
        #expect(inTerms["g"]?["buckets"]?.serialized() == #"[{"key":"drama","doc_count":2,"good":{"doc_count":1}}]"#)
        let bad = #expect(throws: ElasticsearchError.self) { try aggregations(#"{"f":{"filters":{"filters":{"x":{"nonsense":{}}}}}}"#) }
        #expect(bad?.type == "parsing_exception")
        let option = #expect(throws: ElasticsearchError.self) { try aggregations(#"{"f":{"filters":{"filters":{},"colour":1}}}"#) }
        #expect(option?.type == "parsing_exception" && option?.reason == "Unknown key for a VALUE_NUMBER_INT in [f]: [colour].")
    }

    /// `terms` on `_index` counts each searched index's matching documents.
    @Test func termsOnTheIndexName() throws {
        _ = try engine.put("books", "1", #"{"title":"Quick reads","year":2001}"#)
        _ = try engine.put("comics", "1", #"{"title":"Silver Surfer","year":1968}"#)
        let body = #"{"size":0,"query":{"range":{"year":{"gte":1990}}},"aggs":{"i":{"terms":{"field":"_index"},"aggs":{"newest":{"max":{"field":"year"}}}}}}"#
        let result = try engine.search("movies,books,comics", try SearchRequest.parse(body: json(body))).body["aggregations"]
        #expect(result?.serialized() == #"{"i":{"doc_count_error_upper_bound":0,"sum_other_doc_count":0,"buckets":[{"key":"movies","doc_count":5,"newest":{"value":2020.0}},{"key":"books","doc_count":1,"newest":{"value":2001.0}}]}}"#)
        let byKey = try engine.search("movies,books,comics", try SearchRequest.parse(body: json(#"{"size":0,"aggs":{"i":{"terms":{"field":"_index","size":2,"order":{"_key":"asc"}}}}}"#))).body
        #expect(byKey["aggregations"]?["i"]?.serialized() == #"{"doc_count_error_upper_bound":0,"sum_other_doc_count":5,"buckets":[{"key":"books","doc_count":1},{"key":"comics","doc_count":1}]}"#)
    }

    @Test func aggregationErrorsNameTheProblem() throws {
        let unknown = #expect(throws: ElasticsearchError.self) { try aggregations(#"{"x":{"percentiles":{"field":"year"}}}"#) }
        #expect(unknown?.type == "parsing_exception")
        #expect(unknown?.reason == "Unknown aggregation type [percentiles]")
        let text = #expect(throws: ElasticsearchError.self) { try aggregations(#"{"x":{"terms":{"field":"title"}}}"#) }
        #expect(text?.reason.hasPrefix("Text fields are not optimised") == true)
        let keyword = #expect(throws: ElasticsearchError.self) { try aggregations(#"{"x":{"avg":{"field":"genre.keyword"}}}"#) }
        #expect(keyword?.reason == "Field [genre.keyword] of type [keyword] is not supported for aggregation [avg]")
        let option = #expect(throws: ElasticsearchError.self) { try aggregations(#"{"x":{"terms":{"field":"year","colour":"red"}}}"#) }
        #expect(option?.reason == "[terms] unknown field [colour]")
        let nested = #expect(throws: ElasticsearchError.self) { try aggregations(#"{"x":{"max":{"field":"year"},"aggs":{"y":{"min":{"field":"year"}}}}}"#) }
        #expect(nested?.type == "aggregation_initialization_exception")
    }
}
