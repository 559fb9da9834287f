# Atompub::Client (Debian's libatompub-perl) against a running ferry: read the blog's service
# document, upload a photo to its media collection, save an entry that shows it as a draft,
# publish it, update it (the client sends the If-Match it read), see a stale If-Match refused,
# list the collection, delete the entry. Prints one JSON line of what it saw; any failure dies
# (exit status 255). Arguments: service document URL, handle, password, photo path.
use strict;
use warnings;
use Atompub::Client;
use JSON::PP;
use LWP::UserAgent;
use XML::Atom::Entry;

my ($service_url, $handle, $password, $photo) = @ARGV;
my $client = Atompub::Client->new;
$client->username($handle);
$client->password($password);
my %seen;

my $service = $client->getService($service_url) or die "service: " . $client->errstr;
my ($workspace) = $service->workspaces;
my ($entries, $media);
for my $collection ($workspace->collections) {
    my @accepts = $collection->accepts;
    if (grep { /atom\+xml/ } @accepts) { $entries = $collection->href } else { $media = $collection->href }
    $seen{accepts}{ $collection->title } = [@accepts];
}

my $media_entry = $client->createMedia($media, $photo, 'image/png', 'beach') or die "media: " . $client->errstr;
my $src = $client->rc->content->elem->getAttribute('src');
$seen{photo} = $src;

my $entry = XML::Atom::Entry->new(Version => 1.0);
$entry->title('Written with Atompub');
$entry->content(qq{<p>From Perl &amp; friends.</p><p><img src="$src" alt="The beach"/><br/>Sea</p>});
for my $term ('perl', 'atompub') {
    my $category = XML::Atom::Category->new(Version => 1.0);
    $category->term($term);
    $entry->add_category($category);
}
my $control = XML::Atom::Control->new;
$control->draft('yes');
$entry->control($control);
my $location = $client->createEntry($entries, $entry, 'from perl') or die "create: " . $client->errstr;
$seen{location} = $location;
$seen{created_status} = $client->res->code;
$seen{draft} = $client->rc->control ? $client->rc->control->draft : 'no';

my $read = $client->getEntry($location) or die "get: " . $client->errstr;
$read->title('Written with Atompub, then published');
$read->control(XML::Atom::Control->new);
$client->updateEntry($location, $read) or die "update: " . $client->errstr;
my $published = $client->getEntry($location) or die "get again: " . $client->errstr;
$seen{title} = $published->title;
$seen{published_draft} = $published->control && $published->control->draft ? $published->control->draft : 'no';
my ($alternate) = grep { $_->rel eq 'alternate' } $published->link;
$seen{alternate} = $alternate->href;
$seen{content} = $published->content->body;

my $ua = LWP::UserAgent->new;
my $stale = HTTP::Request->new(PUT => $location, ['Content-Type' => 'application/atom+xml;type=entry', 'If-Match' => '"stale"'], $read->as_xml);
$stale->authorization_basic($handle, $password);
$seen{stale_status} = $ua->request($stale)->code;

my $feed = $client->getFeed($entries) or die "feed: " . $client->errstr;
$seen{listed} = [map { $_->title } $feed->entries];

$client->deleteEntry($location) or die "delete: " . $client->errstr;
$seen{after_delete} = $client->getEntry($location) ? 'still there' : 'gone';
print JSON::PP->new->canonical->encode(\%seen), "\n";
