/*
 * Stand-in for the parts of Elasticsearch's `analysis-common` module that the portal uses.
 *
 * The integ-test-zip distribution on Maven Central ships without analysis-common, and that
 * module is not published on Maven Central for 9.x. This plugin registers the same names with
 * the same Lucene classes the real module uses, so mappings written for a full Elasticsearch
 * (e.g. "analyzer": "dutch") work unchanged against the local node:
 *
 *   analyzers:     dutch, english            (settings: stopwords, stopwords_path, stem_exclusion)
 *   token filters: asciifolding (preserve_original), stemmer (language: dutch|english|porter),
 *                  edge_ngram (min_gram, max_gram, preserve_original)
 *   tokenizers:    keyword, whitespace
 *   REST:          GET / and HEAD / (the `rest-root` module is missing too, so the clients'
 *                  info() and ping() would get 405 without this)
 *
 * Built by `python -m config.services up` with javac against the distribution's lib/ jars.
 */
package nl.werkportaal.esanalysis;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.core.KeywordTokenizer;
import org.apache.lucene.analysis.core.WhitespaceTokenizer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenFilter;
import org.apache.lucene.analysis.nl.DutchAnalyzer;
import org.apache.lucene.analysis.snowball.SnowballFilter;
import org.elasticsearch.Build;
import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.cluster.node.DiscoveryNodes;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.features.NodeFeature;
import org.elasticsearch.plugins.ActionPlugin;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.RestResponse;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractIndexAnalyzerProvider;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.Analysis;
import org.elasticsearch.index.analysis.AnalyzerProvider;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;

public class PortalAnalysisPlugin extends Plugin implements AnalysisPlugin, ActionPlugin {

    /** The root endpoint, as the real `rest-root` module answers it (without cluster_uuid). */
    static final class RootHandler extends BaseRestHandler {
        private final String body;

        RootHandler(Settings settings) {
            Build build = Build.current();
            String node = settings.get("node.name", "node");
            String cluster = settings.get("cluster.name", "elasticsearch");
            body = "{\"name\":\"" + node + "\",\"cluster_name\":\"" + cluster + "\",\"cluster_uuid\":\"_na_\","
                + "\"version\":{\"number\":\"" + build.version() + "\",\"build_flavor\":\"" + build.flavor() + "\","
                + "\"build_type\":\"zip\",\"build_hash\":\"" + build.hash() + "\",\"build_date\":\"" + build.date() + "\","
                + "\"build_snapshot\":false,\"lucene_version\":\"" + org.apache.lucene.util.Version.LATEST + "\","
                + "\"minimum_wire_compatibility_version\":\"" + build.minWireCompatVersion() + "\","
                + "\"minimum_index_compatibility_version\":\"" + build.minIndexCompatVersion() + "\"},"
                + "\"tagline\":\"You Know, for Search\"}";
        }

        @Override
        public String getName() {
            return "portal_root_action";
        }

        @Override
        public List<Route> routes() {
            return List.of(new Route(RestRequest.Method.GET, "/"), new Route(RestRequest.Method.HEAD, "/"));
        }

        @Override
        protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
            return channel -> channel.sendResponse(new RestResponse(RestStatus.OK, "application/json; charset=UTF-8", body));
        }
    }

    @Override
    public java.util.Collection<RestHandler> getRestHandlers(
        RestHandlersServices services, Supplier<DiscoveryNodes> nodesInCluster, Predicate<NodeFeature> clusterSupportsFeature
    ) {
        return List.of(new RootHandler(services.settings()));
    }

    static final class DutchProvider extends AbstractIndexAnalyzerProvider<DutchAnalyzer> {
        private final DutchAnalyzer analyzer;

        DutchProvider(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name);
            analyzer = new DutchAnalyzer(
                Analysis.parseStopWords(env, settings, DutchAnalyzer.getDefaultStopSet()),
                Analysis.parseStemExclusion(settings, CharArraySet.EMPTY_SET)
            );
        }

        @Override
        public DutchAnalyzer get() {
            return analyzer;
        }
    }

    static final class EnglishProvider extends AbstractIndexAnalyzerProvider<EnglishAnalyzer> {
        private final EnglishAnalyzer analyzer;

        EnglishProvider(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name);
            analyzer = new EnglishAnalyzer(
                Analysis.parseStopWords(env, settings, EnglishAnalyzer.getDefaultStopSet()),
                Analysis.parseStemExclusion(settings, CharArraySet.EMPTY_SET)
            );
        }

        @Override
        public EnglishAnalyzer get() {
            return analyzer;
        }
    }

    static final class AsciiFoldingFactory extends AbstractTokenFilterFactory {
        private final boolean preserveOriginal;

        AsciiFoldingFactory(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name);
            preserveOriginal = settings.getAsBoolean("preserve_original", false);
        }

        @Override
        public TokenStream create(TokenStream tokenStream) {
            return new ASCIIFoldingFilter(tokenStream, preserveOriginal);
        }

        @Override
        public TokenStream normalize(TokenStream tokenStream) {
            return new ASCIIFoldingFilter(tokenStream, false);
        }
    }

    static final class StemmerFactory extends AbstractTokenFilterFactory {
        private final String language;

        StemmerFactory(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name);
            language = settings.get("language", settings.get("name", "english")).toLowerCase(java.util.Locale.ROOT);
            if (language.equals("dutch") == false && language.equals("english") == false && language.equals("porter") == false) {
                throw new IllegalArgumentException(
                    "stemmer language [" + language + "] is not available in the local stand-in (dutch, english, porter)"
                );
            }
        }

        @Override
        public TokenStream create(TokenStream tokenStream) {
            if (language.equals("dutch")) {
                return new SnowballFilter(tokenStream, new org.tartarus.snowball.ext.DutchStemmer());
            }
            return new PorterStemFilter(tokenStream);
        }
    }

    static final class EdgeNGramFactory extends AbstractTokenFilterFactory {
        private final int minGram;
        private final int maxGram;
        private final boolean preserveOriginal;

        EdgeNGramFactory(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name);
            minGram = settings.getAsInt("min_gram", 1);
            maxGram = settings.getAsInt("max_gram", 2);
            preserveOriginal = settings.getAsBoolean("preserve_original", false);
        }

        @Override
        public TokenStream create(TokenStream tokenStream) {
            return new EdgeNGramTokenFilter(tokenStream, minGram, maxGram, preserveOriginal);
        }
    }

    @Override
    public Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> getAnalyzers() {
        return Map.of("dutch", DutchProvider::new, "english", EnglishProvider::new);
    }

    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        return Map.of("asciifolding", AsciiFoldingFactory::new, "stemmer", StemmerFactory::new, "edge_ngram", EdgeNGramFactory::new);
    }

    @Override
    public Map<String, AnalysisProvider<TokenizerFactory>> getTokenizers() {
        return Map.of(
            "keyword", (indexSettings, env, name, settings) -> TokenizerFactory.newFactory(name, KeywordTokenizer::new),
            "whitespace", (indexSettings, env, name, settings) -> TokenizerFactory.newFactory(name, WhitespaceTokenizer::new)
        );
    }
}
