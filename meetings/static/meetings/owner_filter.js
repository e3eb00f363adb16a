// The action item's owner list offers only the people of the chosen owner organisation. Every
// person is in the page (id -> organisation id, #owner-people) so no request is needed; the server
// still checks that the person belongs to the organisation.
(function () {
  "use strict";
  var data = document.getElementById("owner-people");
  var organisation = document.getElementById("id_owner_organisation");
  var person = document.getElementById("id_owner_person");
  if (!data || !organisation || !person) return;
  var people = JSON.parse(data.textContent);
  // Options are removed rather than hidden: mobile Safari ignores hidden options.
  var all = Array.prototype.slice.call(person.options).map(function (option) {
    return option.cloneNode(true);
  });
  function offer() {
    var chosen = person.value;
    while (person.options.length) person.remove(0);
    all.forEach(function (option) {
      if (!option.value || String(people[option.value]) === organisation.value) {
        person.add(option.cloneNode(true));
      }
    });
    person.value = Array.prototype.some.call(person.options, function (o) { return o.value === chosen; }) ? chosen : "";
  }
  organisation.addEventListener("change", offer);
  offer();
})();
